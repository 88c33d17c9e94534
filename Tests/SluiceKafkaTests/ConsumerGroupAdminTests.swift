import SluiceCore
import SluiceKafka
import Testing

/// A consumer group's committed offsets read, altered and deleted through the admin
/// API, against the embedded cluster.
@Suite("Consumer group offsets through the admin API")
struct ConsumerGroupAdminTests {
    /// Consumes `count` records of `topic` in group `group` and commits them.
    static func consumeAndCommit(_ cluster: EmbeddedKafka, topic: String, group: String, count: Int) throws {
        var config = KafkaTestSupport.producerConfig(cluster, ["group.id": group, "auto.offset.reset": "earliest", "enable.auto.commit": "false"])
        config["log_level"] = "0"
        let consumer = try Consumer(configuration: config)
        try consumer.subscribe(topics: [topic])
        let batch = ConsumedBatch(capacity: 1_000)
        var seen = 0
        let deadline = MonotonicClock.nanoseconds() + 30_000_000_000
        while seen < count && MonotonicClock.nanoseconds() < deadline {
            seen += try consumer.poll(into: batch, timeoutMs: 100)
        }
        try consumer.commit()
        batch.releaseMessages()
    }

    @Test("committed offsets are read for the partitions asked; partitions without one are left out; an unknown group has none")
    func committed() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("cg", partitions: 3)
        _ = try KafkaTestSupport.produce(count: 40, topic: "cg", cluster: cluster)
        try Self.consumeAndCommit(cluster, topic: "cg", group: "connect-cg", count: 40)
        let admin = ConsumerGroupAdmin(configuration: KafkaTestSupport.producerConfig(cluster))
        let partitions: [(topic: String, partition: Int32)] = [("cg", 0), ("cg", 1), ("cg", 2), ("other", 0)]
        let committed = try admin.committedOffsets(group: "connect-cg", partitions: partitions)
        let consumer = try Consumer(configuration: KafkaTestSupport.producerConfig(cluster))
        var expected: [ConsumerGroupAdmin.PartitionOffset] = []
        for partition: Int32 in 0..<3 {
            let end = try consumer.watermarks(topic: "cg", partition: partition, timeoutMs: 10_000).high
            if end > 0 { expected.append(ConsumerGroupAdmin.PartitionOffset(topic: "cg", partition: partition, offset: end)) }
        }
        #expect(!expected.isEmpty)
        #expect(committed == expected, "the group committed the end of every partition it read")
        #expect(try admin.committedOffsets(group: "connect-nobody", partitions: partitions).isEmpty)
    }
}
