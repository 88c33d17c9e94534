import Foundation
import SluiceCore
import SluiceKafka
import Synchronization

/// Runs tasks, as Kafka Connect's `Worker`: one ``TaskRunner`` per task on its own
/// pinned thread, the CPU plan (`worker.cpus`), the worker's defaults for every
/// connector (converters), secret references resolved where the task runs, source
/// offsets and metrics. Herders decide *which* tasks run (``StandaloneWorker`` from
/// the command line, ``DistributedHerder`` from the group's assignment and the
/// config topic); the worker runs what they ask for.
///
/// ```swift
/// let worker = Worker(settings: Worker.Settings(config: workerConfig), registry: BuiltinConnectors.registry,
///                     offsets: try OffsetFile(path: "offsets.json"))
/// try worker.startTask(ConnectorTaskID(connector: "gen", task: 0),
///                      config: ["connector.class": "datagen", "topic": "events"])
/// // ...
/// worker.stopAll()
/// ```
///
/// Thread-safety: the task table is behind a mutex; a runner is started, stopped
/// and joined outside it, so a slow stop never blocks readers of the table.
public final class Worker: Sendable {
    /// What every task of this worker runs with.
    public struct Settings: Sendable {
        /// librdkafka settings of source tasks' producers.
        public var producer: KafkaConfiguration
        /// librdkafka settings of sink tasks' consumers.
        public var consumer: KafkaConfiguration
        /// CPUs task threads are pinned to, round-robin.
        public var cpus: CPUSet
        /// How often sink tasks flush and commit (`offset.flush.interval.ms`).
        public var flushIntervalMs: Int
        /// Converters of connectors that name none.
        public var converterDefaults: ConverterDefaults
        /// Data-plane settings of source tasks (the task CPU is the worker's to choose).
        public var source = SourceTaskRunner.Settings()
        /// Settings of sink tasks (the task CPU and flush interval are the worker's).
        public var sink = SinkTaskRunner.Settings()
        /// Where a source's producer lane is pinned: the CPU `laneCPUOffset` threads
        /// after its task thread's in the plan (`nil`: the scheduler chooses).
        public var laneCPUOffset: Int?
        /// What connector configs may override of their tasks' clients; a task whose
        /// config breaks it does not start.
        public var clientOverridePolicy: ClientOverridePolicy = .all
        /// Where tasks record the topics they use (`topic.tracking.enable`); `nil`: not recorded.
        public var activeTopics: ActiveTopics?
        /// Whether source tasks create their topics with the connector's `topic.creation.*`
        /// settings (the worker's `topic.creation.enable`).
        public var topicCreationEnabled = true

        /// The settings a worker file gives.
        public init(config: WorkerConfig) {
            self.init(
                producer: config.producer, consumer: config.consumer, cpus: config.cpus,
                flushIntervalMs: config.flushIntervalMs, converterDefaults: config.converterDefaults)
            source.shutdownTimeoutMs = config.shutdownTimeoutMs
            source.producerPath = config.producerPath
            source.batchBytes = config.taskBatchBytes
            clientOverridePolicy = config.clientOverridePolicy
            topicCreationEnabled = config.topicCreationEnabled
        }

        /// Settings given one by one (for embedding, and for `sluice bench`).
        public init(
            producer: KafkaConfiguration, consumer: KafkaConfiguration, cpus: CPUSet = .available(),
            flushIntervalMs: Int = 10_000, converterDefaults: ConverterDefaults = ConverterDefaults(properties: [:])
        ) {
            self.producer = producer
            self.consumer = consumer
            self.cpus = cpus
            self.flushIntervalMs = flushIntervalMs
            self.converterDefaults = converterDefaults
        }
    }

    /// The settings tasks run with.
    public let settings: Settings
    /// The connector classes tasks are made from.
    public let registry: ConnectorRegistry
    /// Where acknowledged source offsets are recorded, if anywhere.
    public let offsets: (any OffsetStore)?
    /// Counters for `/metrics`.
    public let metrics = WorkerMetrics()
    private let resolver: SecretResolver
    private let log: @Sendable (String) -> Void
    /// Why tasks produce through librdkafka instead of the native path, each said once.
    private let pathReasonsLogged = Mutex<Set<String>>([])
    private let table = Mutex<(runners: [ConnectorTaskID: any TaskRunner], threads: Int)>(([:], 0))

    /// A worker with no tasks.
    /// - Parameters:
    ///   - resolver: resolves `${env:}`/`${file:}` references in task configs when a
    ///     task starts (the process's environment by default).
    ///   - log: where the worker's own lines go (why a task produces through
    ///     librdkafka rather than the native path); standard error by default.
    public init(
        settings: Settings, registry: ConnectorRegistry, offsets: (any OffsetStore)?,
        resolver: SecretResolver = SecretResolver(),
        log: @escaping @Sendable (String) -> Void = { line in
            guard LogLevels.shared.isEnabled(.info, "sluice.worker") else { return }
            FileHandle.standardError.write(Data(("sluice: " + line + "\n").utf8))
        }
    ) {
        self.settings = settings
        self.registry = registry
        self.offsets = offsets
        self.resolver = resolver
        self.log = log
    }

    /// Makes and starts the runner of task `id` from its stored config.
    ///
    /// The worker's converter defaults are applied and references resolved here, so
    /// the config a herder keeps and shows holds references only.
    /// - Parameters:
    ///   - config: the task's config, as its connector made it.
    ///   - connectorClass: the connector's class when the task config does not name it.
    ///   - committed: committed source offsets to resume from.
    /// - Throws: ``RuntimeError`` (an unknown class, an unresolvable reference, a bad
    ///   converter), ``SluiceKafka/KafkaError`` (a client that cannot be created), or
    ///   ``WorkerError/taskAlreadyRunning(_:)``; nothing is left running then.
    @discardableResult
    public func startTask(
        _ id: ConnectorTaskID, config: [String: String], connectorClass: String? = nil,
        committed: [String: SourceOffset] = [:]
    ) throws -> any TaskRunner {
        metrics.taskStartAttempts.wrappingIncrement(ordering: .relaxed)
        let runner = try makeRunner(id, config: config, connectorClass: connectorClass, committed: committed)
        try table.withLock { table in
            guard table.runners[id] == nil else { throw WorkerError.taskAlreadyRunning(id) }
            table.runners[id] = runner
        }
        do {
            try runner.start()
        } catch {
            _ = table.withLock { $0.runners.removeValue(forKey: id) }
            throw error
        }
        metrics.register(id, runner)
        return runner
    }

    private func makeRunner(
        _ id: ConnectorTaskID, config stored: [String: String], connectorClass: String?, committed: [String: SourceOffset]
    ) throws -> any TaskRunner {
        let config = try resolver.resolve(settings.converterDefaults.applied(to: stored))
        let className = config["connector.class"] ?? connectorClass ?? ""
        let thread = table.withLock { table in
            defer { table.threads += 1 }
            return table.threads
        }
        let cpu = settings.cpus.cpu(forThread: thread)
        let overrideProblems = settings.clientOverridePolicy.problems(in: config)
        guard overrideProblems.isEmpty else {
            throw RuntimeError.invalidConnectorConfig(connector: id.connector, problems: overrideProblems)
        }
        let context = TaskContext(connectorName: id.connector, taskID: id.task, config: config, sourceOffsets: committed)
        switch try registry.factory(for: className) {
        case let .source(make):
            var source = settings.source
            source.taskCPU = cpu
            source.laneCPU = settings.laneCPUOffset.map { settings.cpus.cpu(forThread: thread + $0) }
            source.activeTopics = settings.activeTopics
            source.topicCreation = TopicCreationSettings(config: config, workerEnabled: settings.topicCreationEnabled)
            source.log = log
            let runner = try SourceTaskRunner(
                task: make().makeTask(), context: context, topic: config["topic"] ?? id.connector,
                producerConfiguration: ClientOverridePolicy.applied(to: settings.producer, client: "producer", config: config),
                settings: source, offsets: offsets)
            if runner.producerPath == .librdkafka, let reason = runner.producerPathReason,
                pathReasonsLogged.withLock({ $0.insert(reason).inserted })
            {
                log("source tasks produce through librdkafka (\(reason)); the native path serves PLAINTEXT with none/lz4/zstd")
            }
            return runner
        case let .sink(make):
            var sink = settings.sink
            sink.taskCPU = cpu
            sink.flushIntervalMs = settings.flushIntervalMs
            sink.log = log
            sink.activeTopics = settings.activeTopics
            return try SinkTaskRunner(
                task: make().makeTask(), context: context, topics: SinkTopics.subscription(from: config),
                consumerConfiguration: ClientOverridePolicy.applied(to: settings.consumer, client: "consumer", config: config),
                settings: sink)
        }
    }

    /// The runner of task `id`, if it is this worker's.
    public func runner(_ id: ConnectorTaskID) -> (any TaskRunner)? {
        table.withLock { $0.runners[id] }
    }

    /// The tasks this worker holds (running, or ended and not yet reaped), sorted.
    public var taskIDs: [ConnectorTaskID] {
        table.withLock { $0.runners.keys.sorted() }
    }

    /// Stops the tasks `ids` (all asked first, so they stop in parallel), waits for
    /// them, and forgets them.
    /// - Returns: the runners that were stopped, for their final state.
    @discardableResult
    public func stopTasks(_ ids: [ConnectorTaskID]) -> [(id: ConnectorTaskID, runner: any TaskRunner)] {
        let stopping = table.withLock { table in
            ids.compactMap { id in table.runners.removeValue(forKey: id).map { (id: id, runner: $0) } }
        }
        for task in stopping { task.runner.stop() }
        metrics.taskStops.wrappingIncrement(by: stopping.count, ordering: .relaxed)
        for task in stopping {
            task.runner.join()
            metrics.unregister(task.id)
        }
        return stopping
    }

    /// Stops every task.
    @discardableResult
    public func stopAll() -> [(id: ConnectorTaskID, runner: any TaskRunner)] {
        stopTasks(taskIDs)
    }

    /// Forgets the tasks whose runners have ended (failed, or a bounded source at its
    /// end) and returns them, so the herder can report or retry them.
    public func reapEnded() -> [(id: ConnectorTaskID, runner: any TaskRunner)] {
        let ended = table.withLock { table in
            let ids = table.runners.filter { $0.value.state.hasEnded }.keys.sorted()
            return ids.compactMap { id in table.runners.removeValue(forKey: id).map { (id: id, runner: $0) } }
        }
        for task in ended {
            task.runner.join()
            metrics.unregister(task.id)
        }
        return ended
    }

    /// Writes the offsets recorded since the last flush, timing it for `/metrics`.
    /// - Throws: the store's error; what was not written stays recorded for the next flush.
    public func flushOffsets() throws {
        guard let offsets else { return }
        let started = MonotonicClock.nanoseconds()
        do {
            try offsets.flush()
            metrics.recordOffsetCommit(nanoseconds: MonotonicClock.nanoseconds() - started, failed: false)
        } catch {
            metrics.recordOffsetCommit(nanoseconds: MonotonicClock.nanoseconds() - started, failed: true)
            throw error
        }
    }
}

/// Why a ``Worker`` refused to run a task.
public enum WorkerError: Error, Equatable, CustomStringConvertible {
    /// The worker already runs this task.
    case taskAlreadyRunning(ConnectorTaskID)

    public var description: String {
        switch self {
        case let .taskAlreadyRunning(id): return "task \(id.task) of connector \(id.connector) is already running on this worker"
        }
    }
}
