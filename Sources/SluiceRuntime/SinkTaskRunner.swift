import Atomics
import SluiceCore
import SluiceKafka
import Synchronization

/// Runs one ``SinkTask`` on a pinned thread, fed by a consumer in the connector's
/// group (`connect-<connector name>`, as Kafka Connect names it).
///
/// Consumer offsets are committed only after the task's ``SinkTask/flush()``
/// returned: every `flushIntervalMs`, whenever a poll finds the topic drained, and when
/// the task stops, so a crash replays at most one flush interval of records
/// (at-least-once).
///
/// Static membership (KIP-345): when the consumer settings carry `group.instance.id`
/// (the worker's `consumer.group.instance.id`), each task's consumer joins as
/// `<that id>-<connector>-<task>`, unique per task, so a worker restarted within
/// `session.timeout.ms` gets its tasks' partitions back at once instead of waiting
/// for the old members to time out, on clusters that implement it (Kafka 2.3+).
public final class SinkTaskRunner: TaskRunner, @unchecked Sendable {
    /// Settings of one sink task.
    public struct Settings: Sendable {
        /// Records per `put` at most.
        public var maxRecordsPerPut = 10_000
        /// How often to flush the task and commit offsets.
        public var flushIntervalMs = 10_000
        /// CPU for the task thread.
        public var taskCPU: Int?
        /// After this long without an assigned partition, the task says what it waits
        /// for (once), and again when partitions arrive.
        public var waitingNoticeMs = 10_000
        /// Where those notices go (the worker's log).
        public var log: (@Sendable (String) -> Void)?
        /// Where the topics of consumed records are recorded (KIP-558), if anywhere.
        public var activeTopics: ActiveTopics?
        /// Default settings.
        public init() {}
    }

    /// Counters of the task thread (records put, time in put).
    public let putCounters = StageCounters()
    /// The put stage.
    public var counters: TaskCounters { TaskCounters(isSource: false, task: putCounters, errors: errorCounters) }
    /// Kafka Connect's task error metrics of this task.
    public let errorCounters = TaskErrorCounters()
    /// The context the task runs with.
    public let context: TaskContext
    private let task: SinkTask
    private let consumer: Consumer
    private let settings: Settings
    private let topics: [String]
    private let groupID: String
    /// The consumer's static member id, when it has one.
    package let groupInstanceID: String?
    private let sessionTimeoutMs: String
    private let running = ManagedAtomic<Bool>(false)
    private let outcome = Mutex<(state: TaskState, error: (any Error)?)>((.unassigned, nil))
    private var thread: PinnedThread?
    /// Converters and transforms, when the connector configures any.
    private let processor: SinkRecordProcessor?
    private let retry: RetryPolicy
    /// Retries of `put` and `flush` calls (``TaskErrorCounters/retries``).
    public var retries: ManagedAtomic<Int> { errorCounters.retries }
    /// Dead letters Kafka refused, as counted so far (the dead-letter producer's figure).
    private var deadLetterFailuresCounted = 0
    /// The dead-letter producer and its batches, when a dead-letter topic is set.
    private let deadLetters: (producer: Producer, pool: BatchPool)?

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
        groupID = config["group.id"] ?? ""
        if let prefix = config["group.instance.id"], !prefix.isEmpty {
            config["group.instance.id"] = Self.groupInstanceID(prefix: prefix, connector: context.connectorName, task: context.taskID)
        }
        groupInstanceID = config["group.instance.id"]
        sessionTimeoutMs = config["session.timeout.ms"] ?? "45000"
        consumer = try Consumer(configuration: config)
        retry = try RetryPolicy(config: context.config)
        let processor = try SinkRecordProcessor(
            config: context.config, connectorName: context.connectorName, taskID: context.taskID, errors: errorCounters)
        self.processor = processor.isNeeded ? processor : nil
        if let topic = processor.deadLetterTopic, processor.isNeeded {
            var producerConfig = KafkaConfiguration(bootstrapServers: consumerConfiguration.bootstrapServers)
            producerConfig["log_level"] = consumerConfiguration["log_level"] ?? "3"
            let pool = BatchPool(batchCount: 2, arenaBytes: 4 << 20, maxRecords: 16_384)
            deadLetters = (try Producer(topic: topic, configuration: producerConfig) { pool.release($0) }, pool)
        } else {
            deadLetters = nil
        }
    }

    /// How many partitions the group gives this task now (librdkafka's assignment
    /// call is safe from any thread).
    package var assignedPartitions: Int { consumer.assignedPartitionCount() }

    /// The static member id of `connector`'s task `task` under the worker's `prefix`:
    /// distinct for every task of the worker, the same after a restart.
    package static func groupInstanceID(prefix: String, connector: String, task: Int) -> String {
        "\(prefix)-\(connector)-\(task)"
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
    public var state: TaskState { outcome.withLock { $0.state } }
    /// Why the task failed.
    public var error: (any Error)? { outcome.withLock { $0.error } }

    private func run() {
        let batch = ConsumedBatch(capacity: settings.maxRecordsPerPut)
        var lastFlush = MonotonicClock.nanoseconds()
        var unflushed = 0
        var started = false
        var failure: (any Error)?
        do {
            try task.start(context: context)
            started = true
            let startedAt = MonotonicClock.nanoseconds()
            var waitingSaid = false
            var assigned = false
            while running.load(ordering: .relaxed) {
                let got = try consumer.poll(into: batch, timeoutMs: 100)
                if !assigned, let log = settings.log {
                    // Said once: a restart after kill -9 otherwise looks like a hang.
                    let waitedMs = Int((MonotonicClock.nanoseconds() &- startedAt) / 1_000_000)
                    if got > 0 || consumer.assignedPartitionCount() > 0 {
                        assigned = true
                        if waitingSaid { log("sink task \(context.connectorName)-\(context.taskID): partitions assigned after \(waitedMs / 1000) s") }
                    } else if !waitingSaid && waitedMs >= settings.waitingNoticeMs {
                        waitingSaid = true
                        log(
                            "sink task \(context.connectorName)-\(context.taskID): no partitions assigned after \(waitedMs / 1000) s; consumer group '\(groupID)' "
                                + "gives them to other members, or waits for a member that stopped without leaving (a killed worker) to time out "
                                + "(session.timeout.ms=\(sessionTimeoutMs))"
                                + (groupInstanceID == nil ? "; consumer.group.instance.id lets a restarted worker take its partitions back at once" : ""))
                    }
                }
                if got > 0 {
                    if let activeTopics = settings.activeTopics {
                        let id = ConnectorTaskID(connector: context.connectorName, task: context.taskID)
                        for topic in batch.topics { activeTopics.observe(id, topic: topic) }
                    }
                    let start = MonotonicClock.nanoseconds()
                    if let processor {
                        let records = try processor.convert(batch, deadLetter: sendToDeadLetters)
                        try retrying { try task.put(records: records) }
                    } else {
                        try retrying { try task.put(batch) }
                    }
                    StageCounters.add(MonotonicClock.nanoseconds() &- start, to: putCounters.busyNanos)
                    StageCounters.add(got, to: putCounters.records)
                    unflushed += got
                }
                let now = MonotonicClock.nanoseconds()
                // Flush on the interval, and as soon as the topic is drained, so the tail
                // of a burst is durable (and its offsets committed) without waiting.
                if unflushed > 0 && (got == 0 || now &- lastFlush >= UInt64(settings.flushIntervalMs) * 1_000_000) {
                    // While running, the commit goes out in the background: a broker
                    // round trip per drained queue would stall reading. Only flushed
                    // offsets are ever committed; the last commit, at stop, waits.
                    try flushAndCommit(async: true)
                    unflushed = 0
                    lastFlush = now
                }
            }
            batch.releaseMessages()
            try flushAndCommit()
        } catch {
            failure = error
        }
        // `stop()` is the task's last call, after the final flush, on every path.
        if started { task.stop() }
        outcome.withLock {
            $0.state = failure == nil ? .stopped : .failed
            $0.error = failure
        }
    }

    /// Runs a task call under the connector's retry policy.
    private func retrying(_ body: () throws -> Void) throws {
        _ = try retry.run(errors: errorCounters, keepTrying: { running.load(ordering: .relaxed) }, body)
    }

    private func flushAndCommit(async: Bool = false) throws {
        try retrying { try task.flush() }
        try flushDeadLetters()
        try consumer.commit(async: async)
    }

    /// The dead-letter batch being filled.
    private var deadLetterBatch: RecordBatch?

    private func sendToDeadLetters(_ record: ConsumedRecord, headers: [RecordHeader]) throws {
        guard let deadLetters else { return }
        while true {
            if deadLetterBatch == nil {
                var idle = IdleStrategy(.busySpin)
                deadLetterBatch = deadLetters.pool.acquire(idle: &idle) {
                    deadLetters.producer.poll(timeoutMs: 1)
                    return true
                }
            }
            let appended = try deadLetterBatch!.append(
                key: record.key, value: record.value, headers: headers, timestampMs: record.timestampMs ?? 0)
            if appended { return }
            try deadLetters.producer.produce(deadLetterBatch!)
            deadLetterBatch = nil
        }
    }

    /// Delivers every dead letter before the offsets that skipped them are committed.
    private func flushDeadLetters() throws {
        guard let deadLetters else { return }
        if let batch = deadLetterBatch {
            deadLetterBatch = nil
            try deadLetters.producer.produce(batch)
        }
        try deadLetters.producer.flush(timeoutMs: 60_000)
        let statistics = deadLetters.producer.statistics
        TaskErrorCounters.add(statistics.failed - deadLetterFailuresCounted, to: errorCounters.deadLetterFailures)
        deadLetterFailuresCounted = statistics.failed
        if statistics.failed > 0 {
            throw RuntimeError.deliveryFailed(taskID: context.taskID, failed: statistics.failed, reason: "dead-letter topic: \(statistics.firstError ?? "unknown")")
        }
    }
}
