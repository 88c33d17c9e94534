import Foundation
import SluiceKafka

/// The cluster's connector configurations as read from the config topic, which
/// every worker reads in the same order and so sees the same way.
///
/// Records (key → value, JSON):
/// - `connector-<name>` → `{"properties": {...}}`; a tombstone deletes the connector;
/// - `target-state-<name>` → `{"state": "STARTED" | "PAUSED" | "STOPPED"}`;
/// - `restart-connector-<name>` → `{"include-tasks": Bool, "only-failed": Bool}`;
/// - `restart-task-<name>` → `{"task": N}`.
public struct ClusterConfigState: Sendable {
    /// Connector configs by name.
    public private(set) var connectors: [String: [String: String]] = [:]
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
                return .connectorDeleted(name)
            }
            guard let properties = object?["properties"] as? [String: Any] else { return .none }
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
        return .none
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
