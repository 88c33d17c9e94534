import Atomics
import Foundation
import SluiceCore
import Synchronization

/// The figures a worker exposes at `/metrics`: worker-level counters kept here, and
/// each running task's stage counters (``TaskCounters``) read at scrape time.
///
/// Thread-safety: counters are atomics; the task table is behind a mutex.
public final class WorkerMetrics: Sendable {
    /// Completed rebalances.
    public let rebalances = ManagedAtomic<Int>(0)
    /// Milliseconds spent in rebalances.
    public let rebalanceMillis = ManagedAtomic<Int>(0)
    /// Task failures seen (each failed start or run).
    public let taskFailures = ManagedAtomic<Int>(0)
    /// Tasks this worker tried to start (Kafka Connect's `task-startup-attempts-total`).
    public let taskStartAttempts = ManagedAtomic<Int>(0)
    /// Running tasks this worker was asked to stop (a rebalance, a pause, a restart, a delete).
    public let taskStops = ManagedAtomic<Int>(0)
    /// Offset flushes.
    public let offsetCommits = ManagedAtomic<Int>(0)
    /// Offset flushes that failed.
    public let offsetCommitFailures = ManagedAtomic<Int>(0)
    /// Nanoseconds spent flushing offsets.
    public let offsetCommitNanos = ManagedAtomic<UInt64>(0)
    private let tasks = Mutex<[ConnectorTaskID: TaskCounters]>([:])
    private let started = MonotonicClock.nanoseconds()

    /// A running task's counters (the name the exporter uses).
    public typealias TaskCounters = SluiceRuntime.TaskCounters

    /// Empty metrics.
    public init() {}

    func register(_ id: ConnectorTaskID, _ task: any TaskRunner) {
        let counters = task.counters
        tasks.withLock { $0[id] = counters }
    }

    func unregister(_ id: ConnectorTaskID) {
        _ = tasks.withLock { $0.removeValue(forKey: id) }
    }

    func recordOffsetCommit(nanoseconds: UInt64, failed: Bool) {
        offsetCommits.wrappingIncrement(ordering: .relaxed)
        offsetCommitNanos.wrappingIncrement(by: nanoseconds, ordering: .relaxed)
        if failed { offsetCommitFailures.wrappingIncrement(ordering: .relaxed) }
    }

    /// The running tasks' counters.
    public var taskCounters: [ConnectorTaskID: TaskCounters] { tasks.withLock { $0 } }

    /// Seconds since the worker started.
    public var uptimeSeconds: Double { Double(MonotonicClock.nanoseconds() - started) / 1e9 }
}
