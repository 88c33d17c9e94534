import Atomics
import Synchronization
import SluiceCore
import SluiceKafka

/// Runs one ``SourceTask`` on a pinned thread and moves its batches to Kafka
/// through the zero-copy produce path.
///
/// Memory is bounded by the task's ``BatchPool``: when every batch is in flight the
/// task waits (backpressure). A batch's records are committed to the task, in batch
/// order, only after Kafka acknowledged all of them; a batch with a failed delivery
/// fails the task instead (nothing is committed past it).
///
/// ```swift
/// let runner = try SourceTaskRunner(task: MyTask(), context: context, topic: "events",
///                                   producerConfiguration: config, settings: .init())
/// try runner.start()
/// runner.join()
/// ```
public final class SourceTaskRunner: TaskRunner, @unchecked Sendable {
    /// Data-plane settings of one task.
    public struct Settings: Sendable {
        /// Batches in the task's pool (the memory bound is this × `batchBytes`, plus
        /// four more for the lane when it converts records: see ``ProduceMode/automatic``).
        public var batchCount: Int = 16
        /// Arena bytes per batch.
        public var batchBytes: Int = 1 << 20
        /// Index entries per batch.
        public var maxRecordsPerBatch: Int = 16_384
        /// Direct or producer-lane hand-off; `automatic` picks by whether records are converted.
        public var mode: ProduceMode = .automatic
        /// The librdkafka call records go through on the librdkafka path (see ``ProduceCall``).
        public var produceCall: ProduceCall = .automatic
        /// Which producer records go through (`producer.path`; a connector's own
        /// `producer.path` overrides it).
        public var producerPath: ProducerPath = .automatic
        /// CPU for the task thread, `nil` to let the scheduler choose.
        public var taskCPU: Int?
        /// CPU for the producer lane thread (lane mode), `nil` to let the scheduler choose.
        public var laneCPU: Int?
        /// How idle threads wait.
        public var idle: IdleStrategy = .backoff()
        /// Flush timeout when the source ends by itself (a bounded source at its end).
        public var flushTimeoutMs: Int = 60_000
        /// Flush timeout once ``SourceTaskRunner/stop()`` was called (Kafka Connect's
        /// `task.shutdown.graceful.timeout.ms`): records not acknowledged by then are
        /// not committed, so they are sent again after a restart.
        public var shutdownTimeoutMs: Int = 5_000
        /// Where the topics of acknowledged batches are recorded (KIP-558), if anywhere.
        public var activeTopics: ActiveTopics?
        /// The connector's `topic.creation.*` groups (KIP-158), when creation is on for it.
        public var topicCreation: TopicCreationSettings?
        /// Where the runner's own notices go (the worker's log).
        public var log: (@Sendable (String) -> Void)?

        /// Default settings.
        public init() {}
    }

    /// The task's lifecycle state (the name this type used before ``TaskState``).
    public typealias State = TaskState

    /// Source-stage counters (the task thread).
    public let sourceCounters = StageCounters()
    /// Produce-stage counters (the thread that calls librdkafka).
    public let produceCounters = StageCounters()
    /// The context the task runs with.
    public let context: TaskContext

    private let task: SourceTask
    private let settings: Settings
    private let pool: BatchPool
    private let producer: any BatchProducer
    /// The producer records go through (``ProducerPath/native`` or ``ProducerPath/librdkafka``).
    public let producerPath: ProducerPath
    /// Why records go through librdkafka when `automatic` could not choose the native
    /// path (nil when the path was chosen by name, or is native).
    public let producerPathReason: String?
    private let ring: SPSCRing<LaneWork>?
    /// ``Settings/mode`` resolved: `direct` or `lane`.
    public let mode: ProduceMode
    private let committer: OrderedBatchCommitter
    /// Lane mode: batches whose every record was reported, handed from the lane (which
    /// serves librdkafka's delivery reports) to the task thread, which alone commits
    /// them, so every ``SourceTask`` call stays on the task thread and before `stop()`.
    /// Its capacity covers every batch of both pools, and a batch is in it at most
    /// once, so a push never finds it full.
    private let completions: SPSCRing<RecordBatch>?
    private let running = ManagedAtomic<Bool>(false)
    private let stopRequested = ManagedAtomic<Bool>(false)
    private let sourceDone = ManagedAtomic<Bool>(false)
    private var threads: [PinnedThread] = []
    private let laneDone = ManagedAtomic<Bool>(false)
    /// The outcome; written by the task and lane threads, so behind a lock.
    private let outcome = Mutex<(state: State, error: (any Error)?)>((.unassigned, nil))
    private var nextBatchSequence: UInt64 = 0
    /// Converters and transforms, when the connector's settings need them.
    private let processor: SourceRecordProcessor?
    /// The connector's topic (batches that name none go there).
    private let topic: String
    /// Creates topics before the first batch to each (`topic.creation.*`), when on.
    private let topicCreator: TopicCreator?
    /// Lane mode with converters: the lane's own converters and a small pool for
    /// what it converts (see ``LaneWork``).
    private let laneConversion: (processor: SourceRecordProcessor, pool: BatchPool)?
    private let retry: RetryPolicy
    /// Batches the producer lane converted itself (lane mode with converters or
    /// transforms): the task thread hands a batch over as written whenever the lane
    /// has caught up, so both threads convert.
    public let laneConversions = ManagedAtomic<Int>(0)
    /// Kafka Connect's task error metrics of this task.
    public let errorCounters = TaskErrorCounters()
    /// CreateTopics requests this task sent for `topic.creation.*` (read after ``join()``).
    package var topicCreationRequests: Int { topicCreator?.requests ?? 0 }
    /// Polls that were retried after a ``RetriableError`` (``TaskErrorCounters/retries``).
    public var retries: ManagedAtomic<Int> { errorCounters.retries }

    /// Creates a runner; nothing runs until ``start()``.
    /// - Parameter offsets: where acknowledged source offsets go (in batch order), if anywhere.
    /// - Throws: ``SluiceKafka/KafkaError`` when the producer cannot be created.
    public init(
        task: SourceTask, context: TaskContext, topic: String,
        producerConfiguration: KafkaConfiguration, settings: Settings = Settings(),
        offsets: (any OffsetStore)? = nil
    ) throws {
        self.task = task
        self.context = context
        self.settings = settings
        self.topic = topic
        let log = settings.log ?? { _ in }
        topicCreator = settings.topicCreation.map { TopicCreator(settings: $0, configuration: producerConfiguration, log: log) }
        let pool = BatchPool(
            batchCount: settings.batchCount, arenaBytes: settings.batchBytes,
            maxRecords: settings.maxRecordsPerBatch)
        self.pool = pool
        let task = task
        let connector = context.connectorName
        retry = try RetryPolicy(config: context.config)
        let errorCounters = errorCounters
        let processor = try SourceRecordProcessor(
            topic: topic, format: task.valueFormat(for: context.config), config: context.config,
            connectorName: context.connectorName, taskID: context.taskID, errors: errorCounters)
        self.processor = processor.isNeeded ? processor : nil
        mode = settings.mode.resolved(converting: processor.isNeeded)
        ring = mode == .lane ? SPSCRing(capacity: settings.batchCount) : nil
        let lanePool: BatchPool?
        if mode == .lane && processor.isNeeded {
            let pool = BatchPool(
                batchCount: Self.laneBatchCount, arenaBytes: settings.batchBytes, maxRecords: settings.maxRecordsPerBatch)
            laneConversion = (
                try SourceRecordProcessor(
                    topic: topic, format: task.valueFormat(for: context.config), config: context.config,
                    connectorName: context.connectorName, taskID: context.taskID, errors: errorCounters),
                pool)
            lanePool = pool
        } else {
            laneConversion = nil
            lanePool = nil
        }
        let activeTopics = settings.activeTopics
        let taskID = ConnectorTaskID(connector: connector, task: context.taskID)
        // Reports a task writes itself (a file source's) go there too, converted or not.
        let deadLetterTopic = processor.deadLetterTopic
        let committer = OrderedBatchCommitter(
            commit: { batch in
                if let activeTopics, batch.count > 0 {
                    let used = batch.topic ?? topic
                    if used != deadLetterTopic { activeTopics.observe(taskID, topic: used) }
                }
                let offset = batch.sourceOffset >= 0 ? task.sourceOffset(of: batch) : nil
                task.commit(batch: batch)
                if let offsets, let offset, let name = task.sourcePartitionName(batch.sourcePartition) {
                    offsets.record(connector: connector, partition: name, offset: offset)
                }
            },
            release: { batch in
                if let lanePool, lanePool.owns(batch) { lanePool.release(batch) } else { pool.release(batch) }
            })
        self.committer = committer
        let completions =
            mode == .lane
            ? SPSCRing<RecordBatch>(capacity: settings.batchCount + (lanePool == nil ? 0 : Self.laneBatchCount)) : nil
        self.completions = completions
        let counters = produceCounters
        let path = try context.config["producer.path"].map(ProducerPath.init(named:)) ?? settings.producerPath
        let made = try path.makeProducer(
            topic: topic, configuration: producerConfiguration, produceCall: settings.produceCall
        ) { batch in
            StageCounters.add(batch.count - batch.failedDeliveries, to: counters.records)
            // Dead letters travel in batches of their own topic (see SourceRecordProcessor).
            if let deadLetterTopic, batch.failedDeliveries > 0, batch.topic == deadLetterTopic {
                TaskErrorCounters.add(batch.failedDeliveries, to: errorCounters.deadLetterFailures)
            }
            if let completions {
                let handed = completions.tryPush(batch)
                precondition(handed, "the completion ring holds every batch of the task's pools")
            } else {
                // Direct mode: reports run inside the task thread's own poll and flush.
                committer.completed(batch)
            }
        }
        producer = made.producer
        producerPath = made.path
        producerPathReason = made.reason
    }

    /// Batches the lane converts into when it shares the conversion work (lane mode
    /// with converters or transforms): a pool of its own, so the two threads never
    /// wait for each other's batches.
    static let laneBatchCount = 4

    /// Starts the task thread (and the lane thread in lane mode).
    /// - Throws: ``SluiceCore/CoreError`` when a thread cannot start or be pinned.
    public func start() throws {
        running.store(true, ordering: .releasing)
        outcome.withLock { $0.state = .running }
        if mode == .lane {
            threads.append(try PinnedThread(name: "sluice-lane-\(context.taskID)", cpu: settings.laneCPU) { [self] in
                runLane()
            })
        }
        threads.append(try PinnedThread(name: "sluice-task-\(context.taskID)", cpu: settings.taskCPU) { [self] in
            runTask()
        })
    }

    /// Asks the task to stop after its current poll; in-flight records are still
    /// flushed, for at most ``Settings/shutdownTimeoutMs``.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        running.store(false, ordering: .releasing)
    }

    /// Waits for the threads to end; afterwards ``state``, ``error`` and
    /// ``deliveryStatistics`` are final.
    public func join() {
        for thread in threads { thread.join() }
    }

    /// The state after ``join()``.
    public var state: State { outcome.withLock { $0.state } }
    /// Why the task failed, after ``join()``.
    public var error: (any Error)? { outcome.withLock { $0.error } }
    /// Delivery figures, after ``join()``.
    public var deliveryStatistics: DeliveryStatistics { producer.statistics }
    /// Records handed to librdkafka and not yet acknowledged (safe from any thread).
    public var outstandingRecords: Int { producer.outstanding }
    /// The source and produce stages, and librdkafka's queue.
    public var counters: TaskCounters {
        TaskCounters(
            isSource: true, task: sourceCounters, produce: produceCounters, errors: errorCounters,
            outstanding: { [weak self] in self?.outstandingRecords ?? 0 })
    }

    // MARK: threads

    /// The task thread: start, the source loop, then (once the last batch in flight is
    /// reported and committed) stop, so `stop()` is the task's last call.
    private func runTask() {
        var idle = settings.idle
        var started = false
        do {
            var context = context
            context.errors = errorCounters
            try task.start(context: context)
            started = true
            try sourceLoop(idle: &idle)
        } catch {
            fail(error)
        }
        sourceDone.store(true, ordering: .releasing)
        if mode == .direct { finish() } else { awaitLane(idle: &idle) }
        if started { task.stop() }
        outcome.withLock { if $0.state != .failed { $0.state = .stopped } }
    }

    /// Lane mode: commits, in batch order, the batches the lane has reported complete
    /// (and gives them back to their pools). Task thread only.
    @discardableResult
    private func commitCompleted() -> Int {
        guard let completions else { return 0 }
        return completions.popBatch(max: .max) { committer.completed($0) }
    }

    /// Lane mode, after the source loop: commits what the lane reports while it flushes,
    /// until it has ended. The lane publishes `laneDone` after its last report, so the
    /// final drain sees every batch.
    private func awaitLane(idle: inout IdleStrategy) {
        while !laneDone.load(ordering: .acquiring) {
            if commitCompleted() == 0 { idle.idle() } else { idle.reset() }
        }
        commitCompleted()
    }

    /// What the task thread does while it waits for a free batch: serve delivery
    /// reports (direct) or commit what the lane reported (lane). Whether to go on waiting.
    private func serveWhileWaiting() -> Bool {
        if mode == .direct { producer.poll(timeoutMs: 1) } else { commitCompleted() }
        return running.load(ordering: .relaxed)
    }

    private func sourceLoop(idle: inout IdleStrategy) throws {
        let direct = mode == .direct
        // In direct mode a batch comes back only through a delivery report this thread
        // serves, so the wait blocks in rd_kafka_poll, which wakes on the first report,
        // instead of sleeping through it in an idle strategy.
        var poolIdle = direct ? IdleStrategy(.busySpin) : settings.idle
        while running.load(ordering: .relaxed) {
            commitCompleted()
            let waitStart = MonotonicClock.nanoseconds()
            guard let batch = pool.acquire(idle: &poolIdle, whileWaiting: serveWhileWaiting) else { return }
            let pollStart = MonotonicClock.nanoseconds()
            StageCounters.add(pollStart &- waitStart, to: sourceCounters.waitNanos)
            let (result, _) = try retry.run(errors: errorCounters, keepTrying: { running.load(ordering: .relaxed) }) {
                try task.poll(into: batch)
            }
            let pollEnd = MonotonicClock.nanoseconds()
            StageCounters.add(pollEnd &- pollStart, to: sourceCounters.busyNanos)
            StageCounters.add(batch.count, to: sourceCounters.records)
            StageCounters.add(1, to: sourceCounters.batches)
            let wroteNothing = batch.isEmpty
            if laneConversion != nil, let ring, ring.approximateCount == 0 {
                // The lane has caught up: it converts this batch while this thread
                // polls the next one (records keep their order: the lane produces
                // everything, in the order the ring hands it over).
                try handOff(.convert(batch), idle: &idle)
            } else if let processor {
                // Off the zero-copy path: converted copies go out, the input comes home now.
                do {
                    try processor.process(batch, acquire: {
                        pool.acquire(idle: &poolIdle, whileWaiting: serveWhileWaiting)
                    }, emit: { output in try send(output, idle: &idle) })
                } catch RuntimeError.stopped {
                    // Asked to stop while waiting for a batch: what was sent is flushed;
                    // the rest of this input was never acknowledged, so it is not committed.
                    pool.release(batch)
                    return
                }
                pool.release(batch)
            } else {
                try send(batch, idle: &idle)
            }
            switch result {
            case .batchFull: idle.reset()
            case .caughtUp: if wroteNothing { idle.idle() } else { idle.reset() }
            case .endOfData: return
            }
        }
    }

    /// Hands `batch` to librdkafka (direct) or to the lane, which numbers it when it
    /// produces it.
    private func send(_ batch: RecordBatch, idle: inout IdleStrategy) throws {
        if mode == .direct {
            try number(batch)
            let start = MonotonicClock.nanoseconds()
            try producer.produce(batch)
            producer.poll(timeoutMs: 0)
            StageCounters.add(MonotonicClock.nanoseconds() &- start, to: produceCounters.busyNanos)
            StageCounters.add(1, to: produceCounters.batches)
            try checkDeliveries()
        } else {
            try handOff(.produce(batch), idle: &idle)
        }
    }

    /// Gives `batch` its place in commit order. Called by the one thread that produces
    /// (the task thread in direct mode, the lane in lane mode), just before producing.
    private func number(_ batch: RecordBatch) throws {
        if batch.count > 0 { try topicCreator?.ensure(batch.topic ?? topic) }
        batch.taskID = Int32(truncatingIfNeeded: context.taskID)
        batch.batchSequence = nextBatchSequence
        nextBatchSequence &+= 1
    }

    private func handOff(_ work: LaneWork, idle: inout IdleStrategy) throws {
        guard let ring else { return }
        let start = MonotonicClock.nanoseconds()
        while !ring.tryPush(work) {
            // A dead lane never drains the ring: the batch is dropped undelivered,
            // so none of its records is committed, and the task is already FAILED.
            if laneDone.load(ordering: .acquiring) { return }
            // The lane may be waiting for a batch of its own pool, which only a commit
            // here gives back.
            if commitCompleted() == 0 { idle.idle() }
        }
        StageCounters.add(MonotonicClock.nanoseconds() &- start, to: sourceCounters.waitNanos)
    }

    private func runLane() {
        guard let ring else { return }
        var idle = settings.idle
        do {
            while true {
                let start = MonotonicClock.nanoseconds()
                var produced = 0
                try ring.popBatch(max: settings.batchCount) { work in
                    switch work {
                    case let .produce(batch):
                        try number(batch)
                        try producer.produce(batch)
                    case let .convert(input):
                        try convertOnLane(input)
                    }
                    produced += 1
                }
                let served = producer.poll(timeoutMs: 0)
                if produced > 0 {
                    StageCounters.add(MonotonicClock.nanoseconds() &- start, to: produceCounters.busyNanos)
                    StageCounters.add(produced, to: produceCounters.batches)
                }
                try checkDeliveries()
                if produced == 0 && sourceDone.load(ordering: .acquiring) && ring.approximateCount == 0 { break }
                idle.idle(workCount: produced + served)
            }
        } catch {
            fail(error)
        }
        finish()
        laneDone.store(true, ordering: .releasing)
    }

    /// Converts a batch the task thread handed over raw, producing the converted
    /// batches (from the lane's own pool) and then returning the input to the task's
    /// pool. The lane's pool refills only through delivery reports, which this thread
    /// serves while it waits, so the wait always ends (or the task has failed).
    private func convertOnLane(_ input: RecordBatch) throws {
        guard let (processor, lanePool) = laneConversion else { return }
        var waitIdle = settings.idle
        laneConversions.wrappingIncrement(ordering: .relaxed)
        defer { pool.release(input) }
        try processor.process(
            input,
            acquire: {
                lanePool.acquire(idle: &waitIdle, whileWaiting: {
                    producer.poll(timeoutMs: 1)
                    return outcome.withLock { $0.state } != .failed
                })
            },
            emit: { output in
                try number(output)
                try producer.produce(output)
            })
    }

    /// Flushes what is in flight (on the thread that produces); the task thread
    /// records the final state once it has committed the last report.
    private func finish() {
        do {
            let stopping = stopRequested.load(ordering: .acquiring)
            try producer.flush(timeoutMs: stopping ? settings.shutdownTimeoutMs : settings.flushTimeoutMs)
            try checkDeliveries()
        } catch {
            fail(error)
        }
    }

    private func checkDeliveries() throws {
        let statistics = producer.statistics
        if statistics.failed > 0 {
            throw RuntimeError.deliveryFailed(
                taskID: context.taskID, failed: statistics.failed, reason: statistics.firstError ?? "unknown")
        }
    }

    private func fail(_ error: Error) {
        var error = error
        // The native producer throws what failed records (a cluster it cannot reach,
        // a refused batch); say how many, as for failures librdkafka reports. Only the
        // producing thread sees these errors, so reading its statistics here is safe.
        if let failure = error as? NativeProducerError, producer.statistics.failed > 0 {
            error = RuntimeError.deliveryFailed(taskID: context.taskID, failed: producer.statistics.failed, reason: "\(failure)")
        }
        // A record larger than a batch arena: name the worker setting that sizes it.
        if case let RecordBatchError.recordTooLarge(bytes, arena)? = error as? RecordBatchError {
            error = RuntimeError.invalidConfig(
                name: "task.batch.bytes", value: String(arena),
                reason: "a record of \(bytes) bytes does not fit in a task batch; raise task.batch.bytes (a worker setting) or shrink the record")
        }
        outcome.withLock {
            if $0.error == nil { $0.error = error }
            $0.state = .failed
        }
        running.store(false, ordering: .releasing)
    }
}

/// What the task thread hands the lane: a batch to produce, or (when the lane has
/// caught up) a batch as the task wrote it, for the lane to convert and produce.
private enum LaneWork {
    case produce(RecordBatch)
    case convert(RecordBatch)
}
