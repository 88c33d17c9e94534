import CRdKafka

/// Reads a consumer group's committed offsets through Kafka's admin API
/// (ListConsumerGroupOffsets, an OffsetFetch), as Kafka Connect does for a sink
/// connector's offsets (KIP-875).
///
/// Altering and deleting them (OffsetCommit from outside the group, OffsetDelete,
/// DeleteGroups) is not here: librdkafka 2.0.2's mock cluster, the only cluster
/// tests have, refuses the first and aborts the client on the other two, so they
/// could not be tested (`docs/kafka-connect-compatibility.md`).
public struct ConsumerGroupAdmin: Sendable {
    /// One partition's committed offset.
    public struct PartitionOffset: Sendable, Hashable, Comparable {
        /// The topic.
        public var topic: String
        /// The partition.
        public var partition: Int32
        /// The next offset the group reads.
        public var offset: Int64

        /// A committed offset.
        public init(topic: String, partition: Int32, offset: Int64) {
            self.topic = topic
            self.partition = partition
            self.offset = offset
        }

        public static func < (a: Self, b: Self) -> Bool {
            (a.topic, a.partition) < (b.topic, b.partition)
        }
    }

    /// The cluster's client settings.
    public let configuration: KafkaConfiguration
    /// How long one request may take.
    public var timeoutMs = 10_000

    /// An admin for the cluster `configuration` reaches.
    public init(configuration: KafkaConfiguration) {
        self.configuration = configuration
    }

    /// The group's committed offsets of `partitions` (every partition it has one for,
    /// when `nil`, on clusters that answer that), sorted; partitions without one are left out.
    public func committedOffsets(group: String, partitions: [(topic: String, partition: Int32)]? = nil) throws -> [PartitionOffset] {
        let handle = try KafkaHandle(type: RD_KAFKA_PRODUCER, configuration: configuration)
        let list = partitions.map { Self.list($0.map { ($0.topic, $0.partition, Int64(RD_KAFKA_OFFSET_INVALID)) }) }
        defer { list.map { rd_kafka_topic_partition_list_destroy($0) } }
        guard let request = rd_kafka_ListConsumerGroupOffsets_new(group, list) else {
            throw KafkaError.groupFailed(group: group, reason: "cannot describe the request")
        }
        defer { rd_kafka_ListConsumerGroupOffsets_destroy(request) }
        return try AdminRequest.run(
            "ListConsumerGroupOffsets", RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, failure: { .groupFailed(group: group, reason: $0) },
            handle: handle, timeoutMs: timeoutMs,
            send: { options, queue in
                var requests: [OpaquePointer?] = [request]
                rd_kafka_ListConsumerGroupOffsets(handle.pointer, &requests, 1, options, queue)
            },
            read: { event in
                var count = 0
                guard let result = rd_kafka_event_ListConsumerGroupOffsets_result(event),
                    let groups = rd_kafka_ListConsumerGroupOffsets_result_groups(result, &count)
                else { return [] }
                return try Self.partitions(of: groups, count: count, group: group).filter { $0.offset >= 0 }.sorted()
            })
    }

    /// A new partition list of `entries` (the caller destroys it).
    private static func list(_ entries: [(String, Int32, Int64)]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list = rd_kafka_topic_partition_list_new(Int32(entries.count))!
        for (topic, partition, offset) in entries {
            rd_kafka_topic_partition_list_add(list, topic, partition).pointee.offset = offset
        }
        return list
    }

    /// The partitions of a group result, throwing the group's or a partition's error.
    private static func partitions(
        of groups: UnsafeMutablePointer<OpaquePointer?>, count: Int, group: String
    ) throws -> [PartitionOffset] {
        var offsets: [PartitionOffset] = []
        for index in 0..<count {
            if let error = rd_kafka_group_result_error(groups[index]) {
                let code = rd_kafka_error_code(error)
                let reason = String(cString: rd_kafka_error_string(error))
                if code == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE || code == RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION {
                    throw KafkaError.adminNotSupported(operation: "consumer group offsets", reason: reason)
                }
                throw KafkaError.groupFailed(group: group, reason: reason)
            }
            guard let list = rd_kafka_group_result_partitions(groups[index]) else { continue }
            for element in UnsafeBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt)) {
                // A partition that does not exist has no committed offset.
                if element.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART { continue }
                if element.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    throw KafkaError.groupFailed(
                        group: group, reason: "\(String(cString: element.topic))-\(element.partition): \(KafkaError.text(element.err))")
                }
                offsets.append(PartitionOffset(topic: String(cString: element.topic), partition: element.partition, offset: element.offset))
            }
        }
        return offsets
    }
}
