import SluiceCore
import SluiceKafka
import Testing

/// A consumer group's committed offsets read, altered and deleted through the admin
/// API, against the embedded cluster.
@Suite("Consumer group offsets through the admin API")
struct ConsumerGroupAdminTests {
    /// Consumes `count` records of `topic` in group `group` and commits them.
    static func consumeAndCommit(_ cluster: EmbeddedKafka, topic: String, group: String, count: Int) throws {
        _ = try consume(cluster, topic: topic, group: group, count: count, commit: true)
    }

    /// Consumes records of `topic` in group `group` until `count` came (or 30 s
    /// passed), then polls half a second more; returns how many came.
    static func consume(_ cluster: EmbeddedKafka, topic: String, group: String, count: Int, commit: Bool) throws -> Int {
        var config = KafkaTestSupport.producerConfig(cluster, ["group.id": group, "auto.offset.reset": "earliest", "enable.auto.commit": "false"])
        config["log_level"] = "0"
        let consumer = try Consumer(configuration: config)
        try consumer.subscribe(topics: [topic])
        let batch = ConsumedBatch(capacity: 1_000)
        var seen = 0
        let deadline = MonotonicClock.nanoseconds() + 30_000_000_000
        while seen < count && MonotonicClock.nanoseconds() < deadline {
            seen += try consumer.poll(into: batch, timeoutMs: 100)
            batch.releaseMessages()
        }
        for _ in 0..<5 {
            seen += try consumer.poll(into: batch, timeoutMs: 100)
            batch.releaseMessages()
        }
        if commit { try consumer.commit() }
        return seen
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

    @Test("offsets altered from outside a group that never had members are read back, and a member of the group starts from them")
    func altered() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("alt", partitions: 2)
        _ = try KafkaTestSupport.produce(count: 40, topic: "alt", cluster: cluster)
        let admin = ConsumerGroupAdmin(configuration: KafkaTestSupport.producerConfig(cluster))
        let wanted = [
            ConsumerGroupAdmin.PartitionOffset(topic: "alt", partition: 0, offset: 3),
            ConsumerGroupAdmin.PartitionOffset(topic: "alt", partition: 1, offset: 5),
        ]
        try admin.alterOffsets(group: "connect-alt", to: wanted)
        #expect(try admin.committedOffsets(group: "connect-alt", partitions: [("alt", 0), ("alt", 1)]) == wanted)

        // A member of the group reads from the altered offsets: 40 - 3 - 5 records.
        let seen = try Self.consume(cluster, topic: "alt", group: "connect-alt", count: 32, commit: false)
        #expect(seen == 32)
    }

    @Test("altering a partition that does not exist is an error, not a silent no-op")
    func alterUnknownPartition() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("two", partitions: 2)
        let admin = ConsumerGroupAdmin(configuration: KafkaTestSupport.producerConfig(cluster))
        #expect(throws: KafkaError.self) {
            try admin.alterOffsets(group: "connect-two", to: [ConsumerGroupAdmin.PartitionOffset(topic: "two", partition: 7, offset: 1)])
        }
    }

    @Test("a group that has had members refuses offsets from outside: groupHasMembers, naming the group")
    func alterRefusedWithMembers() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("busy", partitions: 1)
        _ = try KafkaTestSupport.produce(count: 10, topic: "busy", cluster: cluster)
        try Self.consumeAndCommit(cluster, topic: "busy", group: "connect-busy", count: 10)
        let admin = ConsumerGroupAdmin(configuration: KafkaTestSupport.producerConfig(cluster))
        do {
            try admin.alterOffsets(group: "connect-busy", to: [ConsumerGroupAdmin.PartitionOffset(topic: "busy", partition: 0, offset: 1)])
            Issue.record("the embedded cluster took an outside commit for a group that had members")
        } catch let KafkaError.groupHasMembers(group, _) {
            #expect(group == "connect-busy")
        }
        #expect(try admin.committedOffsets(group: "connect-busy", partitions: [("busy", 0)]).map(\.offset) == [10])
    }

    @Test("deleting offsets or the group on a cluster without OffsetDelete and DeleteGroups is a clear error, not an abort")
    func deleteUnsupported() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("gone", partitions: 1)
        let admin = ConsumerGroupAdmin(configuration: KafkaTestSupport.producerConfig(cluster))
        #expect(throws: KafkaError.adminNotSupported(operation: "DeleteGroups", reason: "the broker at \(cluster.bootstrapServers.split(separator: ",")[0]) does not list API key 42")) {
            try admin.deleteGroup("connect-gone")
        }
        do {
            try admin.deleteOffsets(group: "connect-gone", partitions: [("gone", 0)])
            Issue.record("OffsetDelete succeeded on a cluster that does not list it")
        } catch let KafkaError.adminNotSupported(operation, _) {
            #expect(operation == "OffsetDelete")
        }
    }

    @Test("a cluster that cannot be reached for its API versions is an unreachable error naming the servers")
    func apiVersionsUnreachable() throws {
        let admin = ConsumerGroupAdmin(configuration: KafkaConfiguration(bootstrapServers: "127.0.0.1:1"))
        do {
            try admin.deleteGroup("connect-nowhere")
            Issue.record("deleting a group on an unreachable cluster succeeded")
        } catch let KafkaError.unreachable(servers, _, _) {
            #expect(servers == "127.0.0.1:1")
        }
    }
}
