import Foundation
import SluiceKafka
import SluiceRuntime
import Synchronization

/// A herder that keeps everything in memory and runs nothing, for testing the REST
/// routes' status codes and bodies without Kafka.
final class FakeHerder: Herder, Sendable {
    struct Connector {
        var config: [String: String]
        var target: TargetState = .started
        var offsets: [String: SourceOffset] = [:]
        var restarts = 0
        /// The last sink offsets change: `.some(nil)` for a reset.
        var sinkChange: [SinkConnectorOffsets.Change]?? = nil
    }

    let registry: ConnectorRegistry
    let kafkaClusterID = "fake-cluster"
    let workerID = "fake:1"
    let metrics: WorkerMetrics
    let generation: Int32 = 7
    let isRebalancing = false
    private let connectors = Mutex<[String: Connector]>([:])
    /// When set, config changes answer as a follower whose leader is at this URL.
    let leaderURL = Mutex<String?>(nil)

    /// Topics "tasks" used; tests record them directly.
    let activeTopics: ActiveTopics?
    let topicTrackingAllowsReset: Bool

    init(registry: ConnectorRegistry, metrics: WorkerMetrics = WorkerMetrics(), topicTracking: Bool = true, allowReset: Bool = true) {
        self.registry = registry
        self.metrics = metrics
        activeTopics = topicTracking ? ActiveTopics() : nil
        topicTrackingAllowsReset = allowReset
    }

    var assignedTasks: [ConnectorTaskID] {
        connectors.withLock { all in all.keys.sorted().flatMap { name in (0..<tasks(all[name]!)).map { ConnectorTaskID(connector: name, task: $0) } } }
    }

    private func tasks(_ connector: Connector) -> Int {
        connector.target == .stopped ? 0 : Int(connector.config["tasks.max"] ?? "1") ?? 1
    }

    private func existing(_ name: String) throws -> Connector {
        guard let connector = connectors.withLock({ $0[name] }) else { throw HerderError.notFound(name) }
        return connector
    }

    func connectorNames() -> [String] { connectors.withLock { $0.keys.sorted() } }

    func connectorConfig(_ name: String) throws -> [String: String] { try existing(name).config }

    func taskConfigs(_ name: String) throws -> [(id: ConnectorTaskID, config: [String: String])] {
        let connector = try existing(name)
        return (0..<tasks(connector)).map { (ConnectorTaskID(connector: name, task: $0), connector.config) }
    }

    func status(_ name: String) throws -> ConnectorStatus {
        let connector = try existing(name)
        let state: StatusState = connector.target == .paused ? .paused : .running
        let tasks = (0..<tasks(connector)).map { task in
            ConnectorStatus.TaskStatus(
                id: task,
                status: task == 1
                    ? StatusEntry(state: .failed, workerID: "fake:1", trace: "task 1 broke", generation: generation)
                    : StatusEntry(state: state, workerID: "fake:1", generation: generation))
        }
        return ConnectorStatus(connector: StatusEntry(state: state, workerID: "fake:1", generation: generation), tasks: tasks)
    }

    func putConnector(_ name: String, config: [String: String], mustBeNew: Bool, initialState: TargetState?) throws -> Bool {
        if let leader = leaderURL.withLock({ $0 }) { throw HerderError.notLeader(leaderURL: leader) }
        var config = config
        config["name"] = name
        let checked = try validate(config)
        guard checked.problems.isEmpty else { throw RuntimeError.invalidConnectorConfig(connector: name, problems: checked.problems) }
        return try connectors.withLock { all in
            let exists = all[name] != nil
            if exists && mustBeNew { throw HerderError.alreadyExists(name) }
            all[name, default: Connector(config: config, target: initialState ?? .started)].config = config
            return !exists
        }
    }

    func deleteConnector(_ name: String) throws {
        _ = try existing(name)
        connectors.withLock { _ = $0.removeValue(forKey: name) }
    }

    func setTargetState(_ name: String, _ target: TargetState) throws {
        _ = try existing(name)
        connectors.withLock { $0[name]?.target = target }
    }

    func targetState(_ name: String) throws -> TargetState { try existing(name).target }

    func requestConnectorRestart(_ name: String, includeTasks: Bool, onlyFailed: Bool) throws {
        _ = try existing(name)
        connectors.withLock { $0[name]?.restarts += 1 }
    }

    func requestTaskRestart(_ id: ConnectorTaskID) throws {
        let connector = try existing(id.connector)
        guard id.task >= 0, id.task < tasks(connector) else { throw HerderError.taskNotFound(id) }
    }

    func committedOffsets(_ name: String) throws -> [String: SourceOffset] { try existing(name).offsets }

    /// What ``healthProblem(timeout:)`` answers (tests set it to see `unhealthy`).
    let problem = Mutex<String?>(nil)

    func healthProblem(timeout: Double) -> String? { problem.withLock { $0 } }

    func alterOffsets(_ name: String, to newOffsets: [String: SourceOffset]?) throws {
        guard try existing(name).target == .stopped else { throw HerderError.badState("Connectors must be in the STOPPED state before their offsets can be modified.") }
        connectors.withLock { $0[name]?.offsets = newOffsets ?? [:] }
    }

    func sinkOffsets(_ name: String) throws -> [ConsumerGroupAdmin.PartitionOffset] {
        _ = try existing(name)
        return [ConsumerGroupAdmin.PartitionOffset(topic: "in", partition: 0, offset: 7), ConsumerGroupAdmin.PartitionOffset(topic: "in", partition: 2, offset: 9)]
    }

    func alterSinkOffsets(_ name: String, to changes: [SinkConnectorOffsets.Change]?) throws {
        guard try existing(name).target == .stopped else { throw HerderError.badState("Connectors must be in the STOPPED state before their offsets can be modified.") }
        connectors.withLock { $0[name]?.sinkChange = .some(changes) }
    }

    /// The last sink offsets change of `name` (`.some(nil)`: reset; nil: none).
    func sinkChange(of name: String) -> [SinkConnectorOffsets.Change]?? { connectors.withLock { $0[name]?.sinkChange ?? nil } }

    func restarts(of name: String) -> Int { connectors.withLock { $0[name]?.restarts ?? 0 } }
}
