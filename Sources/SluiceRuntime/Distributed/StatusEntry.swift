import Foundation
import SluiceKafka

/// A connector's or task's state as the status topic records it, and as the REST
/// API shows it: `{"state": "RUNNING", "worker_id": "127.0.0.1:8083", "trace": ...}`.
public struct StatusEntry: Sendable, Equatable {
    /// UNASSIGNED, RUNNING, PAUSED, STOPPED, FAILED or RESTARTING.
    public var state: String
    /// The worker that runs it.
    public var workerID: String
    /// The failure's description and context, for FAILED.
    public var trace: String?
    /// The group generation the worker wrote it in.
    public var generation: Int32

    /// An entry.
    public init(state: String, workerID: String, trace: String? = nil, generation: Int32) {
        self.state = state
        self.workerID = workerID
        self.trace = trace
        self.generation = generation
    }

    /// The JSON the status topic holds.
    public var json: [UInt8] {
        var object: [String: Any] = ["state": state, "worker_id": workerID, "generation": generation]
        if let trace { object["trace"] = trace }
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    /// Parses a status topic value.
    public init?(json bytes: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            let state = object["state"] as? String, let worker = object["worker_id"] as? String
        else { return nil }
        self.init(
            state: state, workerID: worker, trace: object["trace"] as? String,
            generation: (object["generation"] as? NSNumber)?.int32Value ?? 0)
    }
}

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
