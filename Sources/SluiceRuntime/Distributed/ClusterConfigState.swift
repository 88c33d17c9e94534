import Foundation
import SluiceKafka

/// The cluster's connector configurations as read from the config topic, which
/// every worker reads in the same order and so sees the same way.
///
/// Records (key → value, JSON):
/// - `connector-<name>` → `{"properties": {...}}`; a tombstone deletes the connector;
/// - `target-state-<name>` → `{"state": "STARTED" | "PAUSED" | "STOPPED"}`;
/// - `restart-connector-<name>` → `{"include-tasks": Bool, "only-failed": Bool}`;
/// - `restart-task-<name>` → `{"task": N}`;
/// - `task-<name>-<n>` → `{"properties": {...}}`: task `n`'s config, computed by the
///   leader, taking effect only with the following
/// - `commit-<name>` → `{"tasks": N}`: tasks `0..<N` as last written are the
///   connector's task set (as in Kafka Connect, workers run tasks only from these).
public struct ClusterConfigState: Sendable {
    /// Connector configs by name.
    public private(set) var connectors: [String: [String: String]] = [:]
    /// Task configs by connector, as last committed: the task set every worker runs.
    public private(set) var taskConfigs: [String: [[String: String]]] = [:]
    /// Why the last task configs written for a connector could not be used (an
    /// unreadable record, a commit naming a task that was never written); the
    /// previous committed set stays in force until the leader writes a good one.
    public private(set) var taskConfigProblems: [String: String] = [:]
    /// The config-topic offset of each connector's last config record and of its
    /// last task commit: task configs are current when the commit is the later one.
    private var connectorRecordOffsets: [String: Int64] = [:]
    private var taskCommitOffsets: [String: Int64] = [:]
    /// Task configs read and not yet committed, by connector and task number.
    private var pendingTaskConfigs: [String: [Int: [String: String]]] = [:]
    /// Unreadable task config records since the connector's last commit.
    private var pendingTaskProblems: [String: String] = [:]
    /// Target states by connector name (STARTED when never set).
    public private(set) var targetStates: [String: TargetState] = [:]
    /// The offset after the last record applied.
    public private(set) var offset: Int64 = 0

    /// What a record changed.
    public enum Change: Sendable, Equatable {
        /// A connector was created or its config changed.
        case connectorConfig(String)
        /// A connector was deleted.
        case connectorDeleted(String)
        /// A connector's target state changed (from `previous`).
        case targetState(String, previous: TargetState)
        /// A restart of a connector (and maybe its tasks) was asked for.
        case restartConnector(String, includeTasks: Bool, onlyFailed: Bool)
        /// A restart of one task was asked for.
        case restartTask(ConnectorTaskID)
        /// A new set of task configs was committed for the connector (`previous`: the
        /// set it replaced).
        case taskConfigs(String, previous: [[String: String]])
        /// A commit of task configs could not be used (see ``taskConfigProblems``).
        case inconsistentTaskConfigs(String)
        /// Nothing this version understands.
        case none
    }

    /// An empty state.
    public init() {}

    /// The target state of `name`.
    public func targetState(of name: String) -> TargetState { targetStates[name] ?? .started }

    /// Applies one record of the config topic.
    public mutating func apply(_ entry: TopicReader.Entry) -> Change {
        offset = max(offset, entry.offset + 1)
        guard let key = entry.key.map({ String(decoding: $0, as: UTF8.self) }) else { return .none }
        let object = entry.value.flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
        if let name = key.dropPrefix("connector-") {
            guard entry.value != nil else {
                connectors[name] = nil
                targetStates[name] = nil
                taskConfigs[name] = nil
                taskConfigProblems[name] = nil
                pendingTaskConfigs[name] = nil
                pendingTaskProblems[name] = nil
                connectorRecordOffsets[name] = nil
                taskCommitOffsets[name] = nil
                return .connectorDeleted(name)
            }
            guard let properties = object?["properties"] as? [String: Any] else { return .none }
            connectorRecordOffsets[name] = entry.offset
            connectors[name] = properties.compactMapValues { $0 as? String ?? ($0 as? NSNumber)?.stringValue }
            return .connectorConfig(name)
        }
        if let name = key.dropPrefix("target-state-") {
            guard let text = object?["state"] as? String, let state = TargetState(rawValue: text) else { return .none }
            let previous = targetState(of: name)
            targetStates[name] = state
            return .targetState(name, previous: previous)
        }
        if let name = key.dropPrefix("restart-connector-") {
            return .restartConnector(
                name, includeTasks: object?["include-tasks"] as? Bool ?? false,
                onlyFailed: object?["only-failed"] as? Bool ?? false)
        }
        if let name = key.dropPrefix("restart-task-"), let task = (object?["task"] as? NSNumber)?.intValue {
            return .restartTask(ConnectorTaskID(connector: name, task: task))
        }
        if let rest = key.dropPrefix("task-"), let dash = rest.lastIndex(of: "-"), let task = Int(rest[rest.index(after: dash)...]) {
            let name = String(rest[..<dash])
            guard entry.value != nil else { return .none }
            guard task >= 0, let properties = object?["properties"] as? [String: Any] else {
                pendingTaskProblems[name] =
                    "the config record of task \(task) (offset \(entry.offset) of the config topic) is not a JSON object with \"properties\""
                return .none
            }
            pendingTaskConfigs[name, default: [:]][task] = properties.compactMapValues { $0 as? String ?? ($0 as? NSNumber)?.stringValue }
            return .none
        }
        if let name = key.dropPrefix("commit-") {
            let written = pendingTaskConfigs.removeValue(forKey: name) ?? [:]
            let problem = pendingTaskProblems.removeValue(forKey: name)
            guard let count = (object?["tasks"] as? NSNumber)?.intValue, count >= 0 else {
                taskConfigProblems[name] = "the task commit record at offset \(entry.offset) of the config topic has no task count"
                return .inconsistentTaskConfigs(name)
            }
            if let problem {
                taskConfigProblems[name] = problem
                return .inconsistentTaskConfigs(name)
            }
            let tasks = (0..<count).compactMap { written[$0] }
            guard tasks.count == count else {
                let missing = (0..<count).filter { written[$0] == nil }.map(String.init).joined(separator: ", ")
                taskConfigProblems[name] = "the task commit at offset \(entry.offset) names \(count) tasks, but the configs of tasks \(missing) were not written"
                return .inconsistentTaskConfigs(name)
            }
            let previous = taskConfigs[name] ?? []
            taskConfigs[name] = tasks
            taskConfigProblems[name] = nil
            taskCommitOffsets[name] = entry.offset
            return .taskConfigs(name, previous: previous)
        }
        return .none
    }

    /// Whether connector `name`'s task configs were committed after its current config
    /// was written.
    public func taskConfigsAreCurrent(_ name: String) -> Bool {
        guard let config = connectorRecordOffsets[name], let commit = taskCommitOffsets[name] else { return false }
        return commit > config
    }

    /// The records that make `tasks` connector `name`'s task set: one per task, then
    /// the commit that puts them in force together.
    public static func taskConfigRecords(topic: String, name: String, tasks: [[String: String]]) -> [MessageProducer.Message] {
        tasks.enumerated().map { record(topic: topic, key: "task-\(name)-\($0.offset)", value: ["properties": $0.element]) }
            + [record(topic: topic, key: "commit-\(name)", value: ["tasks": tasks.count])]
    }

    /// The record that creates or updates a connector.
    public static func connectorRecord(topic: String, name: String, config: [String: String]) -> MessageProducer.Message {
        record(topic: topic, key: "connector-\(name)", value: ["properties": config])
    }

    /// The tombstone that deletes a connector.
    public static func deletionRecord(topic: String, name: String) -> MessageProducer.Message {
        MessageProducer.Message(topic: topic, partition: 0, key: Array("connector-\(name)".utf8), value: nil)
    }

    /// The record that sets a target state.
    public static func targetStateRecord(topic: String, name: String, state: TargetState) -> MessageProducer.Message {
        record(topic: topic, key: "target-state-\(name)", value: ["state": state.rawValue])
    }

    /// The record that asks for a connector restart.
    public static func restartRecord(topic: String, name: String, includeTasks: Bool, onlyFailed: Bool) -> MessageProducer.Message {
        record(topic: topic, key: "restart-connector-\(name)", value: ["include-tasks": includeTasks, "only-failed": onlyFailed])
    }

    /// The record that asks for a task restart.
    public static func taskRestartRecord(topic: String, task: ConnectorTaskID) -> MessageProducer.Message {
        record(topic: topic, key: "restart-task-\(task.connector)", value: ["task": task.task])
    }

    /// Config records go to partition 0: the topic's single partition orders them.
    private static func record(topic: String, key: String, value: [String: Any]) -> MessageProducer.Message {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data()
        return MessageProducer.Message(topic: topic, partition: 0, key: Array(key.utf8), value: Array(data))
    }
}

extension String {
    /// The rest of the string after `prefix`, or nil when it does not start with it.
    func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
