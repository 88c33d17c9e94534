import SluiceKafka

/// Every connector's and task's latest status, built from the status topic
/// (`status-connector-<name>`, `status-task-<name>-<id>`; tombstones delete).
public struct ClusterStatus: Sendable {
    /// Connector statuses by name.
    public private(set) var connectors: [String: StatusEntry] = [:]
    /// Task statuses.
    public private(set) var tasks: [ConnectorTaskID: StatusEntry] = [:]

    /// An empty view.
    public init() {}

    /// Applies one record of the status topic.
    public mutating func apply(_ entry: TopicReader.Entry) {
        guard let key = entry.key.map({ String(decoding: $0, as: UTF8.self) }) else { return }
        let status = entry.value.flatMap(StatusEntry.init(json:))
        if let name = key.dropPrefix("status-connector-") {
            connectors[name] = status
        } else if let rest = key.dropPrefix("status-task-"), let dash = rest.lastIndex(of: "-"),
            let task = Int(rest[rest.index(after: dash)...]) {
            tasks[ConnectorTaskID(connector: String(rest[..<dash]), task: task)] = status
        }
    }

    /// The record for a connector's status (nil: a tombstone).
    public static func connectorRecord(topic: String, name: String, status: StatusEntry?) -> MessageProducer.Message {
        MessageProducer.Message(topic: topic, key: Array("status-connector-\(name)".utf8), value: status?.json)
    }

    /// The record for a task's status (nil: a tombstone).
    public static func taskRecord(topic: String, task: ConnectorTaskID, status: StatusEntry?) -> MessageProducer.Message {
        MessageProducer.Message(topic: topic, key: Array("status-task-\(task.connector)-\(task.task)".utf8), value: status?.json)
    }
}
