import CRdKafka

/// Reads, alters and deletes a consumer group's committed offsets through Kafka's
/// admin API, as Kafka Connect does for a sink connector's offsets (KIP-875):
/// ListConsumerGroupOffsets (an OffsetFetch), AlterConsumerGroupOffsets (an
/// OffsetCommit from outside the group), DeleteConsumerGroupOffsets (OffsetDelete,
/// Kafka 2.4+) and DeleteGroups (Kafka 1.1+).
///
/// Kafka changes a group's offsets from outside only while the group has no members
/// (``KafkaError/groupHasMembers(group:reason:)`` otherwise). librdkafka's mock
/// cluster is stricter: once a member has joined a group it refuses every outside
/// commit, and it serves neither OffsetDelete nor DeleteGroups. librdkafka 2.0.2
/// aborts the process on an assertion when asked for those two against a broker that
/// lacks them, so over PLAINTEXT the broker's API versions are asked first and a
/// missing API ends in ``KafkaError/adminNotSupported(operation:reason:)``.
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
        let list = partitions.map { Self.list($0.map { ($0.topic, $0.partition, Int64(RD_KAFKA_OFFSET_INVALID)) }) }
        defer { list.map { rd_kafka_topic_partition_list_destroy($0) } }
        let request = try Self.made(rd_kafka_ListConsumerGroupOffsets_new(group, list), group: group)
        defer { rd_kafka_ListConsumerGroupOffsets_destroy(request) }
        return try groupRequest(
            "ListConsumerGroupOffsets", RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, group: group,
            send: { handle, options, queue in
                var requests: [OpaquePointer?] = [request]
                rd_kafka_ListConsumerGroupOffsets(handle, &requests, 1, options, queue)
            },
            groups: { event, count in rd_kafka_event_ListConsumerGroupOffsets_result(event).flatMap { rd_kafka_ListConsumerGroupOffsets_result_groups($0, &count) } },
            read: { groups, count in try Self.partitions(of: groups, count: count, group: group).filter { $0.offset >= 0 }.sorted() })
    }

    /// Sets the group's committed offsets of these partitions, as Kafka's admin
    /// client does (OffsetCommit with no member and no generation). The group must
    /// have no members.
    public func alterOffsets(group: String, to offsets: [PartitionOffset]) throws {
        guard !offsets.isEmpty else { return }
        let list = Self.list(offsets.map { ($0.topic, $0.partition, $0.offset) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let request = try Self.made(rd_kafka_AlterConsumerGroupOffsets_new(group, list), group: group)
        defer { rd_kafka_AlterConsumerGroupOffsets_destroy(request) }
        try groupRequest(
            "AlterConsumerGroupOffsets", RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS, group: group,
            send: { handle, options, queue in
                var requests: [OpaquePointer?] = [request]
                rd_kafka_AlterConsumerGroupOffsets(handle, &requests, 1, options, queue)
            },
            groups: { event, count in rd_kafka_event_AlterConsumerGroupOffsets_result(event).flatMap { rd_kafka_AlterConsumerGroupOffsets_result_groups($0, &count) } },
            read: { groups, count in _ = try Self.partitions(of: groups, count: count, group: group, unknownIsError: true) })
    }

    /// Deletes the group's committed offsets of `partitions` (OffsetDelete); the
    /// group must not read those topics now.
    public func deleteOffsets(group: String, partitions: [(topic: String, partition: Int32)]) throws {
        guard !partitions.isEmpty else { return }
        try requireAPI(key: 47, operation: "OffsetDelete")
        let list = Self.list(partitions.map { ($0.topic, $0.partition, Int64(RD_KAFKA_OFFSET_INVALID)) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let request = try Self.made(rd_kafka_DeleteConsumerGroupOffsets_new(group, list), group: group)
        defer { rd_kafka_DeleteConsumerGroupOffsets_destroy(request) }
        try groupRequest(
            "OffsetDelete", RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS, group: group,
            send: { handle, options, queue in
                var requests: [OpaquePointer?] = [request]
                rd_kafka_DeleteConsumerGroupOffsets(handle, &requests, 1, options, queue)
            },
            groups: { event, count in
                rd_kafka_event_DeleteConsumerGroupOffsets_result(event).flatMap { rd_kafka_DeleteConsumerGroupOffsets_result_groups($0, &count) }
            },
            read: { groups, count in _ = try Self.partitions(of: groups, count: count, group: group, unknownIsError: true) })
    }

    /// Deletes the group and every offset it committed (DeleteGroups); a group that
    /// does not exist is already deleted. The group must have no members.
    public func deleteGroup(_ group: String) throws {
        try requireAPI(key: 42, operation: "DeleteGroups")
        let request = try Self.made(rd_kafka_DeleteGroup_new(group), group: group)
        defer { rd_kafka_DeleteGroup_destroy(request) }
        try groupRequest(
            "DeleteGroups", RD_KAFKA_ADMIN_OP_DELETEGROUPS, group: group,
            send: { handle, options, queue in
                var requests: [OpaquePointer?] = [request]
                rd_kafka_DeleteGroups(handle, &requests, 1, options, queue)
            },
            groups: { event, count in rd_kafka_event_DeleteGroups_result(event).flatMap { rd_kafka_DeleteGroups_result_groups($0, &count) } },
            read: { groups, count in
                for index in 0..<count {
                    guard let error = rd_kafka_group_result_error(groups[index]),
                        rd_kafka_error_code(error) != RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND
                    else { continue }
                    try Self.fail(code: rd_kafka_error_code(error), reason: String(cString: rd_kafka_error_string(error)), group: group)
                }
            })
    }

    /// Runs one admin request about `group` on a client of its own: `send` issues it
    /// (client, options, reply queue), `groups` finds the answer's group results in
    /// the reply event, `read` reads them.
    private func groupRequest<Result>(
        _ operation: String, _ kind: rd_kafka_admin_op_t, group: String,
        send: (_ client: OpaquePointer, _ options: OpaquePointer?, _ queue: OpaquePointer?) -> Void,
        groups: (_ event: OpaquePointer, _ count: inout Int) -> UnsafeMutablePointer<OpaquePointer?>?,
        read: (_ groups: UnsafeMutablePointer<OpaquePointer?>, _ count: Int) throws -> Result
    ) throws -> Result {
        let handle = try KafkaHandle(type: RD_KAFKA_PRODUCER, configuration: configuration)
        return try AdminRequest.run(
            operation, kind, failure: { .groupFailed(group: group, reason: $0) }, handle: handle, timeoutMs: timeoutMs,
            send: { options, queue in send(handle.pointer, options, queue) },
            read: { event in
                var count = 0
                guard let results = groups(event, &count) else { throw KafkaError.groupFailed(group: group, reason: "no answer for the group") }
                return try read(results, count)
            })
    }

    /// A request object librdkafka made, or an error when it could not.
    private static func made(_ request: OpaquePointer?, group: String) throws -> OpaquePointer {
        guard let request else { throw KafkaError.groupFailed(group: group, reason: "cannot describe the request") }
        return request
    }

    /// Throws ``KafkaError/adminNotSupported(operation:reason:)`` when the cluster
    /// does not list API `key`. Asked over PLAINTEXT only (Sluice's own protocol
    /// client speaks nothing else); on other listeners librdkafka is trusted to answer.
    private func requireAPI(key: Int16, operation: String) throws {
        let security = (configuration["security.protocol"] ?? "plaintext").lowercased()
        guard security == "plaintext", let servers = configuration["bootstrap.servers"] else { return }
        let addresses = servers.split(separator: ",").map { server in
            server.range(of: "://").map { String(server[$0.upperBound...]) } ?? String(server)
        }
        let (address, versions): (String, [Int16: Int16])
        do {
            let connection = try BrokerConnection.first(of: addresses, timeoutMs: timeoutMs)
            defer { connection.close() }
            (address, versions) = (connection.address, try ControlPlaneClient.apiVersions(connection))
        } catch {
            throw KafkaError.unreachable(bootstrapServers: servers, timeoutMs: timeoutMs, reason: "\(error)")
        }
        guard versions[key] != nil else {
            throw KafkaError.adminNotSupported(operation: operation, reason: "the broker at \(address) does not list API key \(key)")
        }
    }

    /// Throws the error Kafka's `code` means for a request on `group`.
    private static func fail(code: rd_kafka_resp_err_t, reason: String, group: String) throws -> Never {
        switch code {
        case RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE, RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION:
            throw KafkaError.adminNotSupported(operation: "consumer group offsets", reason: reason)
        case RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID, RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION, RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS,
            RD_KAFKA_RESP_ERR_NON_EMPTY_GROUP, RD_KAFKA_RESP_ERR_GROUP_SUBSCRIBED_TO_TOPIC:
            throw KafkaError.groupHasMembers(group: group, reason: reason)
        default:
            throw KafkaError.groupFailed(group: group, reason: reason)
        }
    }

    /// A new partition list of `entries` (the caller destroys it).
    private static func list(_ entries: [(String, Int32, Int64)]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list = rd_kafka_topic_partition_list_new(Int32(entries.count))!
        for (topic, partition, offset) in entries {
            rd_kafka_topic_partition_list_add(list, topic, partition).pointee.offset = offset
        }
        return list
    }

    /// The partitions of a group result, throwing the group's or a partition's error;
    /// a partition that does not exist is left out unless `unknownIsError`.
    private static func partitions(
        of groups: UnsafeMutablePointer<OpaquePointer?>, count: Int, group: String, unknownIsError: Bool = false
    ) throws -> [PartitionOffset] {
        var offsets: [PartitionOffset] = []
        for index in 0..<count {
            if let error = rd_kafka_group_result_error(groups[index]) {
                try fail(code: rd_kafka_error_code(error), reason: String(cString: rd_kafka_error_string(error)), group: group)
            }
            guard let list = rd_kafka_group_result_partitions(groups[index]) else { continue }
            for element in UnsafeBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt)) {
                // A partition that does not exist has no committed offset.
                if element.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART && !unknownIsError { continue }
                if element.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    try fail(code: element.err, reason: "\(String(cString: element.topic))-\(element.partition): \(KafkaError.text(element.err))", group: group)
                }
                offsets.append(PartitionOffset(topic: String(cString: element.topic), partition: element.partition, offset: element.offset))
            }
        }
        return offsets
    }
}
