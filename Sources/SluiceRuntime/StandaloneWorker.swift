import Atomics
import Foundation
import SluiceCore
import SluiceKafka
import Synchronization

/// Runs connectors in one process, like Kafka Connect's `connect-standalone`: source
/// offsets in a local file, sink offsets in Kafka's consumer groups, connector
/// configs in memory (from the command line and the REST API). It decides which
/// tasks run (every task of every running connector); its ``Worker`` runs them.
///
/// ```swift
/// let standalone = try StandaloneWorker(config: WorkerConfig(properties: props), registry: BuiltinConnectors.registry)
/// try standalone.add(ConnectorConfigFile.load(path: "file-source.json"))
/// try standalone.start()
/// // ... on SIGTERM:
/// try standalone.stop()
/// ```
///
/// Thread-safety: REST requests and the command line call in from any thread;
/// `lock` serialises every change of connectors and tasks.
public final class StandaloneWorker: Herder, @unchecked Sendable {
    /// The worker's settings.
    public let config: WorkerConfig
    /// The connector classes this worker knows.
    public let registry: ConnectorRegistry
    /// Runs the tasks.
    public let worker: Worker
    /// The id statuses show for this worker (its REST address once one is set).
    public var workerID: String {
        get { lock.withLock { identity } }
        set { lock.withLock { identity = newValue } }
    }
    let resolver: SecretResolver
    private let offsetFile: OffsetFile?
    let lock = NSLock()
    /// ``workerID``'s value, behind `lock`.
    var identity = "standalone"
    /// Connectors by name.
    var connectors: [String: StandaloneConnector] = [:]
    /// Every task runner started, kept after it ends for ``taskStates`` and statuses.
    var runners: [ConnectorTaskID: any TaskRunner] = [:]
    private var started = false
    private var clusterID = ""
    private let flushing = ManagedAtomic<Bool>(false)
    private var flusher: PinnedThread?
    /// Whether the monitor thread (rechecks of ``MonitoringConnector``s) goes on.
    private let monitoring = ManagedAtomic<Bool>(false)
    private var monitor: PinnedThread?
    private let fatal = Mutex<(any Error)?>(nil)
    private let log: @Sendable (String) -> Void
    /// The topics each connector used (KIP-558), or `nil` with `topic.tracking.enable=false`.
    public let activeTopics: ActiveTopics?
    /// Whether REST may reset them (`topic.tracking.allow.reset`).
    public var topicTrackingAllowsReset: Bool { config.topicTrackingAllowsReset }

    /// Why the worker cannot go on (offsets that could not be written for longer than
    /// `offset.flush.timeout.ms`), if so: its owner should stop it and exit non-zero.
    public var failure: (any Error)? { fatal.withLock { $0 } }

    /// Creates a worker; no task runs until ``start()``.
    /// - Parameter resolver: resolves `${env:}`/`${file:}` references in connector
    ///   configs when their tasks start, as in distributed mode.
    /// - Throws: ``RuntimeError/offsetStorage(path:reason:)`` when the offsets file
    ///   cannot be read or written.
    public init(
        config: WorkerConfig, registry: ConnectorRegistry, resolver: SecretResolver = SecretResolver(),
        log: @escaping @Sendable (String) -> Void = { line in
            guard LogLevels.shared.isEnabled(.info, "sluice.worker") else { return }
            FileHandle.standardError.write(Data(("sluice standalone: " + line + "\n").utf8))
        }
    ) throws {
        self.config = config
        self.log = log
        self.registry = registry
        self.resolver = resolver
        offsetFile = try config.offsetsPath.map { try OffsetFile(path: $0) }
        // As Kafka Connect's standalone mode, the topics are kept in memory only.
        activeTopics = config.topicTrackingEnabled ? ActiveTopics() : nil
        var settings = Worker.Settings(config: config)
        settings.activeTopics = activeTopics
        worker = Worker(settings: settings, registry: registry, offsets: offsetFile, resolver: resolver, log: log)
    }

    /// Adds a connector from a config file (``putConnector(_:config:mustBeNew:initialState:)``).
    public func add(_ file: ConnectorConfigFile) throws {
        try putConnector(file.name, config: file.config, mustBeNew: true)
    }

    /// Starts every connector's tasks and the offset flusher.
    /// - Parameter fetchClusterID: whether to ask the cluster its id first, for
    ///   `GET /` (an unreachable cluster is then an error at start).
    /// - Throws: ``WorkerStartError`` or what a task's start threw.
    public func start(fetchClusterID: Bool = false) throws {
        let clusterID = fetchClusterID ? try KafkaClusterProbe.clusterID(bootstrapServers: config.bootstrapServers) : ""
        try lock.withLock {
            self.clusterID = clusterID
            started = true
            for name in connectors.keys.sorted() { try startTasksLocked(of: name) }
        }
        flushing.store(true, ordering: .releasing)
        monitoring.store(true, ordering: .releasing)
        let monitoring = monitoring
        // Not joined by stop(): a recheck may be waiting on a database; it ends at its next look.
        monitor = try PinnedThread(name: "sluice-monitor") { [weak self] in
            while monitoring.load(ordering: .acquiring) {
                usleep(100_000)
                guard monitoring.load(ordering: .acquiring) else { return }
                self?.recheckMonitoredConnectors()
            }
        }
        guard offsetFile != nil else { return }
        let interval = config.flushIntervalMs
        let timeout = config.flushTimeoutMs
        let flushing = flushing
        let worker = worker
        let log = log
        flusher = try PinnedThread(name: "sluice-offsets") { [weak self] in
            var slept = 0
            var failingSince: UInt64?
            while flushing.load(ordering: .acquiring) {
                usleep(10_000)
                slept += 10
                // While writes fail, retry every second instead of every interval.
                guard slept >= (failingSince == nil ? interval : min(interval, 1_000)) else { continue }
                slept = 0
                do {
                    try worker.flushOffsets()
                    if failingSince != nil { log("offsets written again after failures") }
                    failingSince = nil
                } catch {
                    let now = MonotonicClock.nanoseconds()
                    guard let since = failingSince else {
                        failingSince = now
                        log("ERROR: writing the source offsets failed; they are kept and retried: \(error)")
                        continue
                    }
                    if now - since > UInt64(timeout) * 1_000_000 {
                        log("ERROR: the source offsets could not be written for \(timeout) ms (offset.flush.timeout.ms); stopping: \(error)")
                        self?.fatal.withLock { if $0 == nil { $0 = error } }
                    }
                }
            }
        }
    }

    /// Stops every task (in-flight records are still delivered), writes the offsets of
    /// everything acknowledged, and stops the connectors.
    public func stop() throws {
        lock.withLock {
            worker.stopAll()
            started = false
        }
        flushing.store(false, ordering: .releasing)
        monitoring.store(false, ordering: .releasing)
        flusher?.join()
        lock.withLock { for connector in connectors.values { connector.instance.stop() } }
        try worker.flushOffsets()
    }

    /// Whether every source task has ended (bounded sources at their end, or failed).
    public var sourcesHaveEnded: Bool {
        lock.withLock { runners.values.filter { $0 is SourceTaskRunner }.allSatisfy { $0.state.hasEnded } }
    }

    /// Waits until every source task has ended (for tests and one-shot runs).
    public func waitForSources() {
        let sources = lock.withLock { runners.values.filter { $0 is SourceTaskRunner } }
        for runner in sources { runner.join() }
    }

    /// Each task's state and error, by connector and task id (sources first).
    public var taskStates: [(connector: String, task: Int, state: TaskState, error: (any Error)?)] {
        let all = lock.withLock { runners.sorted { $0.key < $1.key }.map(\.value) }
        let ordered = all.filter { $0 is SourceTaskRunner } + all.filter { !($0 is SourceTaskRunner) }
        return ordered.map { ($0.context.connectorName, $0.context.taskID, $0.state, $0.error) }
    }

    // MARK: - Deciding which tasks run (the caller holds `lock`)

    /// Starts the tasks of connector `name` that should run and do not.
    func startTasksLocked(of name: String) throws {
        guard started, let connector = connectors[name], connector.target == .started else { return }
        for (task, taskConfig) in connector.taskConfigs.enumerated() {
            let id = ConnectorTaskID(connector: name, task: task)
            if let runner = runners[id], !runner.state.hasEnded, worker.runner(id) != nil { continue }
            _ = worker.stopTasks([id])
            runners[id] = try worker.startTask(
                id, config: taskConfig, connectorClass: connector.config["connector.class"],
                committed: offsetFile?.offsets(of: name) ?? [:])
        }
    }

    /// Makes `connector` connector `name`'s, stopping the tasks and instance of the one
    /// it replaces (whose target state it keeps), and starts its tasks.
    func replaceLocked(_ name: String, with connector: StandaloneConnector) throws {
        var connector = connector
        if let previous = connectors[name] {
            stopTasksLocked(of: name)
            previous.instance.stop()
            connector.target = previous.target
            for id in runners.keys where id.connector == name && id.task >= connector.taskConfigs.count {
                runners[id] = nil
            }
        }
        connector.recheckAt = connector.recheckAtAfterNow()
        connectors[name] = connector
        try startTasksLocked(of: name)
    }

    /// Rechecks every started ``MonitoringConnector`` that is due: a fresh instance with
    /// the same config makes task configs, and when they differ from the running ones
    /// the connector is replaced by it (its tasks restart from their offsets). Runs on
    /// the monitor thread; the database work happens outside `lock`.
    func recheckMonitoredConnectors() {
        let now = MonotonicClock.nanoseconds()
        let due = lock.withLock { () -> [(String, StandaloneConnector)] in
            guard started else { return [] }
            return connectors.filter { $0.value.target == .started && $0.value.recheckAt.map { $0 <= now } == true }
                .sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
        for (name, current) in due {
            let fresh: StandaloneConnector
            do {
                fresh = try makeConnector(name, raw: current.config, running: current.taskConfigs)
            } catch {
                log("connector \(ConnectorName.escaped(name)): rechecking its task configs failed; its tasks run on: \(error)")
                lock.withLock {
                    if connectors[name]?.instance === current.instance { connectors[name]?.recheckAt = current.recheckAtAfterNow() }
                }
                continue
            }
            let replaced = lock.withLock { () -> Bool in
                guard started, let running = connectors[name], running.instance === current.instance else { return false }
                guard fresh.taskConfigs != running.taskConfigs else {
                    connectors[name]?.recheckAt = current.recheckAtAfterNow()
                    return false
                }
                do {
                    try replaceLocked(name, with: fresh)
                    log("connector \(ConnectorName.escaped(name)): its task configs changed; \(fresh.taskConfigs.count) tasks restarted with them")
                } catch {
                    log("connector \(ConnectorName.escaped(name)): starting its reconfigured tasks failed: \(error)")
                }
                return true
            }
            if !replaced { fresh.instance.stop() }
        }
    }

    /// Stops the tasks of connector `name` (all of them, or only `ids`).
    func stopTasksLocked(of name: String, only ids: [ConnectorTaskID]? = nil) {
        let targets = ids ?? runners.keys.filter { $0.connector == name }
        worker.stopTasks(targets.sorted())
    }

    /// Validates `raw`, starts the connector and asks it for its task configs
    /// (telling it the `running` ones of the connector it would replace).
    func makeConnector(_ name: String, raw: [String: String], running: [[String: String]] = []) throws -> StandaloneConnector {
        var stored = raw
        stored["name"] = name
        let references = resolver.referenceProblems(in: stored)
        guard references.isEmpty else { throw RuntimeError.invalidConnectorConfig(connector: name, problems: references) }
        let settings = try resolver.resolve(stored)
        let checked = try ConnectorValidation.check(settings, registry: registry, policy: config.clientOverridePolicy)
        guard checked.problems.isEmpty, let instance = checked.connector else {
            throw RuntimeError.invalidConnectorConfig(connector: name, problems: checked.problems)
        }
        if !checked.isSink && offsetFile == nil {
            throw RuntimeError.invalidConnectorConfig(connector: "worker", problems: [
                ConfigProblem(name: "offset.storage.file.filename", value: nil, message: "Missing required configuration \"offset.storage.file.filename\" which has no default value.")
            ])
        }
        try instance.start(config: settings)
        let tasks = instance.taskConfigs(maxTasks: Int(settings["tasks.max"] ?? "1") ?? 1, running: running).map {
            SecretResolver.restoringReferences(in: $0, raw: stored, resolved: settings)
        }
        return StandaloneConnector(config: stored, instance: instance, isSink: checked.isSink, taskConfigs: tasks)
    }

    // MARK: - Herder basics

    /// The worker's `connector.client.config.override.policy`.
    public var clientOverridePolicy: ClientOverridePolicy { config.clientOverridePolicy }
    /// The Kafka cluster's id, when ``start(fetchClusterID:)`` fetched it.
    public var kafkaClusterID: String { lock.withLock { clusterID } }
    /// The worker's figures.
    public var metrics: WorkerMetrics { worker.metrics }
    /// Every task of every running connector.
    public var assignedTasks: [ConnectorTaskID] { worker.taskIDs }
    /// Always 0: a standalone worker is its own group.
    public var generation: Int32 { 0 }
    /// Never: a standalone worker does not rebalance.
    public var isRebalancing: Bool { false }
}

/// A connector a ``StandaloneWorker`` holds.
struct StandaloneConnector {
    /// Its config as given (references unresolved).
    var config: [String: String]
    /// The started connector.
    var instance: Connector
    /// Whether it is a sink.
    var isSink: Bool
    /// The task configs it made (references restored).
    var taskConfigs: [[String: String]]
    /// What users asked it to do.
    var target: TargetState = .started
    /// When the worker next rechecks its task configs (a ``MonitoringConnector``), in
    /// monotonic nanoseconds; nil: never.
    var recheckAt: UInt64?

    /// The next recheck, one interval from now.
    func recheckAtAfterNow() -> UInt64? {
        (instance as? MonitoringConnector)?.taskConfigsRecheckIntervalMs.map {
            MonotonicClock.nanoseconds() + UInt64($0) * 1_000_000
        }
    }
}
