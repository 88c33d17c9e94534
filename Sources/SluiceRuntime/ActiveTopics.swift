import Foundation
import Synchronization

/// The topics each connector has used since it was created or its topics were last
/// reset (KIP-558, `GET /connectors/{name}/topics`): a source's topics once Kafka
/// acknowledged a record in them, a sink's once it consumed a record from them.
///
/// Tasks report the topic of every batch (``observe(_:topic:)``); only a topic new
/// to the connector is recorded, with the task and the time it was first seen. In
/// distributed mode a new topic is also written to the status topic as Kafka
/// Connect writes it (``statusKey(topic:connector:)``, ``statusValue(_:)``), and
/// every worker learns the others' topics by reading it back (``apply(key:value:)``).
///
/// Thread-safety: the table is behind a mutex; `publish` is called outside it.
public final class ActiveTopics: Sendable {
    /// One topic a connector used.
    public struct Entry: Sendable, Equatable {
        /// The topic.
        public var topic: String
        /// The connector that used it.
        public var connector: String
        /// The task that first used it.
        public var task: Int
        /// When it was first used, in milliseconds since the epoch.
        public var discoverTimestampMs: Int64
    }

    private let table = Mutex<[String: [String: Entry]]>([:])
    private let publish: @Sendable (Entry?, _ topic: String, _ connector: String) -> Void

    /// An empty table.
    /// - Parameter publish: called with each newly seen topic, and with `nil` for a
    ///   topic a reset forgot (distributed mode writes both to the status topic).
    public init(publish: @escaping @Sendable (Entry?, _ topic: String, _ connector: String) -> Void = { _, _, _ in }) {
        self.publish = publish
    }

    /// Records that task `id` used `topic`, unless its connector already has it.
    public func observe(_ id: ConnectorTaskID, topic: String) {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let entry = Entry(topic: topic, connector: id.connector, task: id.task, discoverTimestampMs: now)
        let isNew = table.withLock { table -> Bool in
            guard table[id.connector]?[topic] == nil else { return false }
            table[id.connector, default: [:]][topic] = entry
            return true
        }
        if isNew { publish(entry, topic, id.connector) }
    }

    /// The connector's topics, sorted.
    public func topics(of connector: String) -> [String] {
        table.withLock { ($0[connector] ?? [:]).keys.sorted() }
    }

    /// The connector's entries, sorted by topic.
    public func entries(of connector: String) -> [Entry] {
        table.withLock { ($0[connector] ?? [:]).values.sorted { $0.topic < $1.topic } }
    }

    /// Forgets the connector's topics (a reset, or the connector's deletion); tasks
    /// that go on using a topic record it again.
    /// - Returns: the topics forgotten, sorted.
    @discardableResult
    public func reset(_ connector: String) -> [String] {
        let forgotten = table.withLock { $0.removeValue(forKey: connector) ?? [:] }.keys.sorted()
        for topic in forgotten { publish(nil, topic, connector) }
        return forgotten
    }

    // MARK: - The status topic's records (Kafka Connect's format)

    /// Kafka Connect's key prefix of a topic record in the status topic.
    static let statusPrefix = "status-topic-"
    /// What separates the topic from the connector in the key.
    static let statusSeparator = ":connector-"

    /// `status-topic-<topic>:connector-<connector>`.
    public static func statusKey(topic: String, connector: String) -> String {
        statusPrefix + topic + statusSeparator + connector
    }

    /// `{"topic":{"name":...,"connector":...,"task":N,"discoverTimestamp":ms}}`.
    public static func statusValue(_ entry: Entry) -> [UInt8] {
        let object: [String: Any] = [
            "topic": [
                "name": entry.topic, "connector": entry.connector, "task": entry.task,
                "discoverTimestamp": entry.discoverTimestampMs,
            ]
        ]
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    /// Applies one record of the status topic; records of other kinds, and values
    /// that cannot be read, are passed over.
    /// The key splits at the first separator: topic names cannot hold a colon.
    /// - Returns: whether the record was a topic record.
    @discardableResult
    public func apply(key: String, value: [UInt8]?) -> Bool {
        guard key.hasPrefix(Self.statusPrefix), let separator = key.range(of: Self.statusSeparator) else { return false }
        let topic = String(key[key.index(key.startIndex, offsetBy: Self.statusPrefix.count)..<separator.lowerBound])
        let connector = String(key[separator.upperBound...])
        guard !topic.isEmpty, !connector.isEmpty else { return false }
        guard let value else {
            table.withLock { table in
                table[connector]?[topic] = nil
                if table[connector]?.isEmpty == true { table[connector] = nil }
            }
            return true
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(value))) as? [String: Any],
            let fields = object["topic"] as? [String: Any]
        else { return true }
        let entry = Entry(
            topic: topic, connector: connector, task: (fields["task"] as? NSNumber)?.intValue ?? 0,
            discoverTimestampMs: (fields["discoverTimestamp"] as? NSNumber)?.int64Value ?? 0)
        table.withLock { table in
            if table[connector]?[topic] == nil { table[connector, default: [:]][topic] = entry }
        }
        return true
    }
}
