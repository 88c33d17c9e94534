import Foundation
import Atomics
import SluiceCore
import SluiceKafka

/// Runs connectors in one process, like Kafka Connect's `connect-standalone`: source
/// offsets in a local file, sink offsets in Kafka's consumer groups. It decides
/// which tasks run (every task of every connector it was given); a ``Worker`` runs them.
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
    private let resolver: SecretResolver
    private var offsets: OffsetFile?
    private var connectors: [(name: String, connector: Connector)] = []
    /// Tasks to start, in the order connectors were added.
    private var planned: [(id: ConnectorTaskID, config: [String: String], committed: [String: Int64], isSource: Bool)] = []
    /// The runners started, kept after they end for ``taskStates``.
    private var started: [(runner: any TaskRunner, isSource: Bool)] = []
    /// Runs the tasks, once ``start()`` has been called.
    public private(set) var worker: Worker?
    private let flushing = ManagedAtomic<Bool>(false)
    private var flusher: PinnedThread?

    /// Creates a worker; nothing runs until ``start()``.
    /// - Parameter resolver: resolves `${env:}`/`${file:}` references in connector
    ///   configs, as in distributed mode.
    public init(config: WorkerConfig, registry: ConnectorRegistry, resolver: SecretResolver = SecretResolver()) throws {
        self.config = config
        self.registry = registry
        self.resolver = resolver
    }

    /// Validates a connector (reporting every bad setting) and plans its tasks.
    public func add(_ file: ConnectorConfigFile) throws {
        var settings = try resolver.resolve(file.config)
        settings["name"] = file.name
        let checked = try ConnectorValidation.check(settings, registry: registry)
        let problems = checked.problems
        let connector = checked.connector
        guard problems.isEmpty, let connector else {
            throw RuntimeError.invalidConnectorConfig(connector: file.name, problems: problems)
        }
        if connectors.contains(where: { $0.name == file.name }) {
            throw RuntimeError.invalidConfig(name: "name", value: file.name, reason: "a connector with this name already exists")
        }
        var committed: [String: Int64] = [:]
        if !checked.isSink {
            guard let offsetsPath = config.offsetsPath else {
                throw RuntimeError.invalidConnectorConfig(connector: "worker", problems: [
                    ConfigProblem(name: "offset.storage.file.filename", value: nil, message: "Missing required configuration \"offset.storage.file.filename\" which has no default value.")
                ])
            }
            if offsets == nil { offsets = try OffsetFile(path: offsetsPath) }
            committed = offsets!.offsets(of: file.name)
        }
        try connector.start(config: settings)
        connectors.append((file.name, connector))
        let maxTasks = Int(settings["tasks.max"] ?? "1") ?? 1
        for (task, taskConfig) in connector.taskConfigs(maxTasks: maxTasks).enumerated() {
            var taskConfig = taskConfig
            if taskConfig["connector.class"] == nil { taskConfig["connector.class"] = settings["connector.class"] }
            planned.append((ConnectorTaskID(connector: file.name, task: task), taskConfig, committed, !checked.isSink))
        }
    }

    /// Starts every task (through a ``Worker``) and the offset flusher.
    public func start() throws {
        let worker = Worker(settings: Worker.Settings(config: config), registry: registry, offsets: offsets, resolver: resolver)
        self.worker = worker
        for task in planned {
            let runner = try worker.startTask(task.id, config: task.config, committed: task.committed)
            started.append((runner, task.isSource))
        }
        planned.removeAll()
        flushing.store(true, ordering: .releasing)
        if offsets != nil {
            let interval = config.flushIntervalMs
            let flushing = flushing
            flusher = try PinnedThread(name: "sluice-offsets") {
                var slept = 0
                while flushing.load(ordering: .acquiring) {
                    usleep(10_000)
                    slept += 10
                    if slept >= interval {
                        slept = 0
                        try? worker.flushOffsets()
                    }
                }
            }
        }
    }

    /// Stops every task (in-flight records are still delivered), writes the offsets of
    /// everything acknowledged, and stops the connectors.
    public func stop() throws {
        worker?.stopAll()
        flushing.store(false, ordering: .releasing)
        flusher?.join()
        for (_, connector) in connectors { connector.stop() }
        try worker?.flushOffsets()
    }

    /// Waits until every source task has ended (for tests and one-shot runs).
    public func waitForSources() {
        for task in started where task.isSource { task.runner.join() }
    }

    /// Each task's state and error, by connector and task id.
    public var taskStates: [(connector: String, task: Int, state: TaskState, error: (any Error)?)] {
        let runners = started.sorted { $0.isSource && !$1.isSource }.map(\.runner)
        return runners.map { ($0.context.connectorName, $0.context.taskID, $0.state, $0.error) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
