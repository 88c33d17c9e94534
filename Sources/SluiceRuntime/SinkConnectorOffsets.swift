import Foundation
import SluiceKafka

/// A sink connector's offsets (KIP-875): the committed offsets of its consumer
/// group, `connect-<name>` unless `consumer.override.group.id` names another.
///
/// They are read for every partition of the topics the connector reads now (its
/// `topics`, or the cluster's topics its `topics.regex` matches), and for every
/// partition the group has an offset for when the cluster answers that question
/// (Kafka does; librdkafka's mock cluster does not).
///
/// They are altered (`PATCH`) and reset (`DELETE`) as Kafka Connect does: offsets
/// given are committed for the group from outside it, a partition given a `null`
/// offset loses its offset (OffsetDelete), and a reset deletes the group
/// (DeleteGroups). Kafka takes these only while the group has no members, so the
/// connector must be STOPPED and its tasks gone.
public enum SinkConnectorOffsets {
    /// One partition's new offset; `nil` deletes the partition's committed offset.
    public struct Change: Sendable, Equatable {
        /// The topic.
        public var topic: String
        /// The partition.
        public var partition: Int32
        /// The next offset the connector reads, or nil to forget the partition's offset.
        public var offset: Int64?

        /// A change of one partition's offset.
        public init(topic: String, partition: Int32, offset: Int64?) {
            self.topic = topic
            self.partition = partition
            self.offset = offset
        }
    }

    /// The changes of a `PATCH /connectors/{name}/offsets` body's `offsets` list:
    /// `{"partition": {"kafka_topic": T, "kafka_partition": N}, "offset": {"kafka_offset": N}}`,
    /// or `"offset": null` to forget a partition's offset. Numbers may be given as
    /// JSON strings, as Kafka Connect accepts them. A partition given twice takes its
    /// last entry, as Kafka Connect's map of them does.
    /// - Throws: ``HerderError/badRequest(_:)`` naming what is wrong with which entry.
    public static func changes(from entries: [[String: Any]]) throws -> [Change] {
        guard !entries.isEmpty else { throw HerderError.badRequest("Partitions / offsets need to be provided for an alter offsets request") }
        let parsed = try entries.map { entry -> Change in
            guard let partition = entry["partition"] as? [String: Any] else {
                throw HerderError.badRequest("Each offset of a sink connector needs a \"partition\" object with \"kafka_topic\" and \"kafka_partition\": \(entry)")
            }
            guard let topic = partition["kafka_topic"] as? String, !topic.isEmpty else {
                throw HerderError.badRequest("A sink connector's partition needs \"kafka_topic\", a topic name: \(partition)")
            }
            guard let number = integer(partition["kafka_partition"]), let index = Int32(exactly: number), index >= 0 else {
                throw HerderError.badRequest("A sink connector's partition needs \"kafka_partition\", a partition number of 0 or more: \(partition)")
            }
            switch entry["offset"] {
            case nil, is NSNull:
                return Change(topic: topic, partition: index, offset: nil)
            case let offset as [String: Any]:
                guard let value = integer(offset["kafka_offset"]), value >= 0 else {
                    throw HerderError.badRequest("A sink connector's offset is null or {\"kafka_offset\": N} with N of 0 or more: \(offset)")
                }
                return Change(topic: topic, partition: index, offset: value)
            case let other?:
                throw HerderError.badRequest("A sink connector's offset is null or {\"kafka_offset\": N} with N of 0 or more: \(other)")
            }
        }
        // The last entry of each partition, in the order of those last entries.
        var seen: [String: Set<Int32>] = [:]
        return parsed.reversed().filter { seen[$0.topic, default: []].insert($0.partition).inserted }.reversed()
    }

    /// A whole JSON number, or a string of one.
    private static func integer(_ value: Any?) -> Int64? {
        switch value {
        case let number as NSNumber: return SourceOffset.integer(number)
        case let text as String: return Int64(text.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    /// Applies `changes` to the connector's group, or deletes the group when `changes` is nil.
    /// - Parameters:
    ///   - config: the connector's config, references resolved.
    ///   - consumer: the worker's consumer settings (`consumer.*`).
    static func alter(connector name: String, config: [String: String], consumer: KafkaConfiguration, to changes: [Change]?) throws {
        let (group, settings) = groupSettings(connector: name, config: config, consumer: consumer)
        let admin = ConsumerGroupAdmin(configuration: settings)
        guard let changes else {
            try admin.deleteGroup(group)
            return
        }
        let offsets = changes.compactMap { change in
            change.offset.map { ConsumerGroupAdmin.PartitionOffset(topic: change.topic, partition: change.partition, offset: $0) }
        }
        try admin.deleteOffsets(group: group, partitions: changes.filter { $0.offset == nil }.map { ($0.topic, $0.partition) })
        try admin.alterOffsets(group: group, to: offsets)
    }

    /// The connector's consumer group and the client settings that reach it.
    private static func groupSettings(connector name: String, config: [String: String], consumer: KafkaConfiguration) -> (String, KafkaConfiguration) {
        var settings = ClientOverridePolicy.applied(to: consumer, client: "consumer", config: config)
        let group = settings["group.id"] ?? "connect-\(name)"
        settings["group.id"] = group
        return (group, settings)
    }

    /// The committed offsets, sorted by topic and partition.
    /// - Parameters:
    ///   - config: the connector's config, references resolved.
    ///   - consumer: the worker's consumer settings (`consumer.*`).
    static func read(connector name: String, config: [String: String], consumer: KafkaConfiguration) throws -> [ConsumerGroupAdmin.PartitionOffset] {
        let (group, settings) = groupSettings(connector: name, config: config, consumer: consumer)
        let metadata = try Consumer(configuration: settings).metadata(timeoutMs: 10_000)
        let pattern = (config["topics.regex"] ?? "").trimmingCharacters(in: .whitespaces)
        let regex = pattern.isEmpty ? nil : try NSRegularExpression(pattern: "^(?:\(pattern))$")
        let listed = Set(SinkTopics.subscription(from: config))
        let topics = metadata.topics.filter { topic in
            guard let regex else { return listed.contains(topic.name) }
            return regex.firstMatch(in: topic.name, range: NSRange(topic.name.startIndex..., in: topic.name)) != nil
        }
        let admin = ConsumerGroupAdmin(configuration: settings)
        let partitions = topics.flatMap { topic in topic.partitions.map { (topic: topic.name, partition: $0) } }
        var offsets = Set(try admin.committedOffsets(group: group))
        if !partitions.isEmpty { offsets.formUnion(try admin.committedOffsets(group: group, partitions: partitions)) }
        return offsets.sorted()
    }

    /// Kafka Connect's JSON of one offset:
    /// `{"partition": {"kafka_topic": ..., "kafka_partition": N}, "offset": {"kafka_offset": N}}`.
    public static func json(_ offset: ConsumerGroupAdmin.PartitionOffset) -> [String: Any] {
        ["partition": ["kafka_topic": offset.topic, "kafka_partition": Int(offset.partition)], "offset": ["kafka_offset": offset.offset]]
    }
}
