import Foundation
import SluiceKafka

/// A sink connector's offsets (KIP-875): the committed offsets of its consumer
/// group, `connect-<name>` unless `consumer.override.group.id` names another.
///
/// They are read for every partition of the topics the connector reads now (its
/// `topics`, or the cluster's topics its `topics.regex` matches), and for every
/// partition the group has an offset for when the cluster answers that question
/// (Kafka does; librdkafka's mock cluster does not).
public enum SinkConnectorOffsets {
    /// The committed offsets, sorted by topic and partition.
    /// - Parameters:
    ///   - config: the connector's config, references resolved.
    ///   - consumer: the worker's consumer settings (`consumer.*`).
    static func read(connector name: String, config: [String: String], consumer: KafkaConfiguration) throws -> [ConsumerGroupAdmin.PartitionOffset] {
        var settings = ClientOverridePolicy.applied(to: consumer, client: "consumer", config: config)
        let group = settings["group.id"] ?? "connect-\(name)"
        settings["group.id"] = group
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
