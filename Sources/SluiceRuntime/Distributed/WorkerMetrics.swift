import Atomics
import Foundation
import SluiceCore
import Synchronization

/// The figures a distributed worker exposes at `/metrics`: worker-level counters
/// kept here, and each running task's stage counters read at scrape time.
///
/// Thread-safety: counters are atomics; the task table is behind a mutex.
public final class WorkerMetrics: Sendable {
    /// Completed rebalances.
    public let rebalances = ManagedAtomic<Int>(0)
    /// Milliseconds spent in rebalances.
    public let rebalanceMillis = ManagedAtomic<Int>(0)
    /// Task failures seen (each failed start or run).
    public let taskFailures = ManagedAtomic<Int>(0)
    /// Offset flushes.
    public let offsetCommits = ManagedAtomic<Int>(0)
    /// Offset flushes that failed.
    public let offsetCommitFailures = ManagedAtomic<Int>(0)
    /// Nanoseconds spent flushing offsets.
    public let offsetCommitNanos = ManagedAtomic<UInt64>(0)
    private let tasks = Mutex<[ConnectorTaskID: TaskCounters]>([:])
    private let started = MonotonicClock.nanoseconds()

    /// A running task's counters.
    public struct TaskCounters: Sendable {
        /// Source or sink.
        public var isSource: Bool
        /// The task's polling (source) or putting (sink) stage.
        public var task: StageCounters
        /// The producer stage (sources only): records acknowledged by Kafka.
        public var produce: StageCounters?
        /// Records in librdkafka's queue, not yet acknowledged (sources only).
        public var outstanding: (@Sendable () -> Int)?
    }

    /// Empty metrics.
    public init() {}

    func register(_ id: ConnectorTaskID, _ task: RunningTask) {
        let counters: TaskCounters
        switch task {
        case let .source(runner):
            counters = TaskCounters(
                isSource: true, task: runner.sourceCounters, produce: runner.produceCounters,
                outstanding: { [weak runner] in runner?.outstandingRecords ?? 0 })
        case let .sink(runner): counters = TaskCounters(isSource: false, task: runner.counters, produce: nil, outstanding: nil)
        }
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
