import Atomics
import SluiceCore
import SluiceKafka
import Synchronization

/// Runs one ``SinkTask`` on a pinned thread, fed by a consumer in the connector's
/// group (`connect-<connector name>`, as Kafka Connect names it).
///
/// Consumer offsets are committed only after the task's ``SinkTask/flush()``
/// returned, every `flushIntervalMs` and when the task stops, so a crash replays at
/// most one flush interval of records (at-least-once).
public final class SinkTaskRunner: @unchecked Sendable {
    /// Settings of one sink task.
    public struct Settings: Sendable {
        /// Records per `put` at most.
        public var maxRecordsPerPut = 10_000
        /// How often to flush the task and commit offsets.
        public var flushIntervalMs = 10_000
        /// CPU for the task thread.
        public var taskCPU: Int?
        /// Default settings.
        public init() {}
    }

    /// Counters of the task thread (records put, time in put).
    public let counters = StageCounters()
    /// The context the task runs with.
    public let context: TaskContext
    private let task: SinkTask
    private let consumer: Consumer
    private let settings: Settings
    private let topics: [String]
    private let running = ManagedAtomic<Bool>(false)
    private let outcome = Mutex<(state: SourceTaskRunner.State, error: (any Error)?)>((.unassigned, nil))
    private var thread: PinnedThread?

    /// Creates a runner for `task` reading `topics`; nothing runs until ``start()``.
    public init(
        task: SinkTask, context: TaskContext, topics: [String], consumerConfiguration: KafkaConfiguration,
        settings: Settings = Settings()
    ) throws {
        self.task = task
        self.context = context
        self.topics = topics
        self.settings = settings
        var config = consumerConfiguration
        if config["group.id"] == nil { config["group.id"] = "connect-\(context.connectorName)" }
        config["enable.auto.commit"] = "false"
        if config["auto.offset.reset"] == nil { config["auto.offset.reset"] = "earliest" }
        consumer = try Consumer(configuration: config)
    }

    /// Subscribes and starts the task thread.
    public func start() throws {
        try consumer.subscribe(topics: topics)
        running.store(true, ordering: .releasing)
        outcome.withLock { $0.state = .running }
        thread = try PinnedThread(name: "sluice-sink-\(context.taskID)", cpu: settings.taskCPU) { [self] in run() }
    }

    /// Asks the task to stop; it flushes and commits before it ends.
    public func stop() {
        running.store(false, ordering: .releasing)
    }

    /// Waits for the task thread to end.
    public func join() {
        thread?.join()
    }

    /// The state (final after ``join()``).
    public var state: SourceTaskRunner.State { outcome.withLock { $0.state } }
    /// Why the task failed.
    public var error: (any Error)? { outcome.withLock { $0.error } }

    private func run() {
        let batch = ConsumedBatch(capacity: settings.maxRecordsPerPut)
        var lastFlush = MonotonicClock.nanoseconds()
        var unflushed = 0
        do {
            try task.start(context: context)
            defer { task.stop() }
            while running.load(ordering: .relaxed) {
                let got = try consumer.poll(into: batch, timeoutMs: 100)
                if got > 0 {
                    let start = MonotonicClock.nanoseconds()
                    try task.put(batch)
                    StageCounters.add(MonotonicClock.nanoseconds() &- start, to: counters.busyNanos)
                    StageCounters.add(got, to: counters.records)
                    unflushed += got
                }
                let now = MonotonicClock.nanoseconds()
                if unflushed > 0 && now &- lastFlush >= UInt64(settings.flushIntervalMs) * 1_000_000 {
                    try flushAndCommit()
                    unflushed = 0
                    lastFlush = now
                }
            }
            batch.releaseMessages()
            try flushAndCommit()
            outcome.withLock { $0.state = .stopped }
        } catch {
            outcome.withLock {
                $0.state = .failed
                $0.error = error
            }
        }
    }

    private func flushAndCommit() throws {
        try task.flush()
        try consumer.commit()
    }
}
