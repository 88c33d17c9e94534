import Foundation
import Atomics
import SluiceCore
import SluiceKafka

/// Runs connectors in one process, like Kafka Connect's `connect-standalone`: source
/// offsets in a local file, sink offsets in Kafka's consumer groups.
///
/// ```swift
/// let worker = try StandaloneWorker(config: WorkerConfig(properties: props), registry: BuiltinConnectors.registry)
/// try worker.add(ConnectorConfigFile.load(path: "file-source.json"))
/// try worker.start()
/// // ... on SIGTERM:
/// try worker.stop()
/// ```
public final class StandaloneWorker: @unchecked Sendable {
    /// The worker's settings.
    public let config: WorkerConfig
    private let registry: ConnectorRegistry
    private var offsets: OffsetFile?
    private var connectors: [(name: String, connector: Connector)] = []
    private var sources: [SourceTaskRunner] = []
    private var sinks: [SinkTaskRunner] = []
    private let flushing = ManagedAtomic<Bool>(false)
    private var flusher: PinnedThread?
    private var threadIndex = 0

    /// Creates a worker; nothing runs until ``start()``.
    public init(config: WorkerConfig, registry: ConnectorRegistry) throws {
        self.config = config
        self.registry = registry
    }

    /// Validates a connector (reporting every bad setting), starts it and creates its tasks.
    public func add(_ file: ConnectorConfigFile) throws {
        var settings = file.config
        settings["name"] = file.name
        let checked = try ConnectorValidation.check(settings, registry: registry)
        let problems = checked.problems
        let factory = checked.factory
        let connector = checked.connector
        guard problems.isEmpty, let connector else {
            throw RuntimeError.invalidConnectorConfig(connector: file.name, problems: problems)
        }
        if connectors.contains(where: { $0.name == file.name }) {
            throw RuntimeError.invalidConfig(name: "name", value: file.name, reason: "a connector with this name already exists")
        }
        try connector.start(config: settings)
        connectors.append((file.name, connector))
        let maxTasks = Int(settings["tasks.max"] ?? "1") ?? 1
        let taskConfigs = connector.taskConfigs(maxTasks: maxTasks).map(config.converterDefaults.applied(to:))
        switch factory! {
        case .source:
            guard let offsetsPath = config.offsetsPath else {
                throw RuntimeError.invalidConnectorConfig(connector: "worker", problems: [
                    ConfigProblem(name: "offset.storage.file.filename", value: nil, message: "Missing required configuration \"offset.storage.file.filename\" which has no default value.")
                ])
            }
            if offsets == nil { offsets = try OffsetFile(path: offsetsPath) }
            let source = connector as! SourceConnector
            let committed = offsets!.offsets(of: file.name)
            for (taskID, taskConfig) in taskConfigs.enumerated() {
                var settings = SourceTaskRunner.Settings()
                settings.taskCPU = nextCPU()
                let context = TaskContext(connectorName: file.name, taskID: taskID, config: taskConfig, offsets: committed)
                sources.append(try SourceTaskRunner(
                    task: source.makeTask(), context: context, topic: taskConfig["topic"] ?? file.name,
                    producerConfiguration: config.producer, settings: settings, offsets: offsets))
            }
        case .sink:
            let sink = connector as! SinkConnector
            let topics = SinkTopics.subscription(from: settings)
            for (taskID, taskConfig) in taskConfigs.enumerated() {
                var settings = SinkTaskRunner.Settings()
                settings.taskCPU = nextCPU()
                settings.flushIntervalMs = config.flushIntervalMs
                let context = TaskContext(connectorName: file.name, taskID: taskID, config: taskConfig)
                sinks.append(try SinkTaskRunner(
                    task: sink.makeTask(), context: context, topics: topics,
                    consumerConfiguration: config.consumer, settings: settings))
            }
        }
    }

    private func nextCPU() -> Int {
        defer { threadIndex += 1 }
        return config.cpus.cpu(forThread: threadIndex)
    }

    /// Starts every task and the offset flusher.
    public func start() throws {
        for runner in sources { try runner.start() }
        for runner in sinks { try runner.start() }
        flushing.store(true, ordering: .releasing)
        if let offsets {
            let interval = config.flushIntervalMs
            let flushing = flushing
            flusher = try PinnedThread(name: "sluice-offsets") {
                var slept = 0
                while flushing.load(ordering: .acquiring) {
                    usleep(10_000)
                    slept += 10
                    if slept >= interval {
                        slept = 0
                        try? offsets.flush()
                    }
                }
            }
        }
    }

    /// Stops every task (in-flight records are still delivered), writes the offsets of
    /// everything acknowledged, and stops the connectors.
    public func stop() throws {
        for runner in sources { runner.stop() }
        for runner in sinks { runner.stop() }
        for runner in sources { runner.join() }
        for runner in sinks { runner.join() }
        flushing.store(false, ordering: .releasing)
        flusher?.join()
        for (_, connector) in connectors { connector.stop() }
        try offsets?.flush()
    }

    /// Waits until every bounded source has ended (for tests and one-shot runs).
    public func waitForSources() {
        for runner in sources { runner.join() }
    }

    /// Each task's state and error, by connector and task id.
    public var taskStates: [(connector: String, task: Int, state: SourceTaskRunner.State, error: (any Error)?)] {
        sources.map { ($0.context.connectorName, $0.context.taskID, $0.state, $0.error) }
            + sinks.map { ($0.context.connectorName, $0.context.taskID, $0.state, $0.error) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
