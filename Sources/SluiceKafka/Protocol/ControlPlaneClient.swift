/// The metadata and coordinator requests Sluice sends itself, over a ``BrokerConnection``.
///
/// librdkafka's consumer group runs only its own assignors, so distributed mode
/// speaks the group protocol directly (``GroupMember``), as Kafka Connect does. The
/// versions are the oldest that every Kafka since 2.0 and librdkafka's mock cluster
/// serve: Metadata v2, FindCoordinator v1, JoinGroup v2, SyncGroup v1,
/// Heartbeat v1, LeaveGroup v1, ApiVersions v0.
public enum ControlPlaneClient {
    /// One broker of a metadata response.
    public struct Broker: Sendable, Equatable {
        /// Its node id.
        public var id: Int32
        /// `host:port`.
        public var address: String
    }

    /// One topic of a metadata response.
    public struct Topic: Sendable, Equatable {
        /// The topic.
        public var name: String
        /// Kafka's error code for it (0: none; 3: unknown topic).
        public var error: Int16
        /// How many partitions it has.
        public var partitions: Int
        /// Each partition's leader (a broker id; -1 for none), by partition index.
        public var leaders: [Int32] = []
        /// Each partition's error code (0: none), by partition index.
        public var partitionErrors: [Int16] = []
    }

    /// A cluster's brokers and the topics asked for.
    public struct Metadata: Sendable, Equatable {
        /// The brokers.
        public var brokers: [Broker]
        /// The cluster id, if the broker sends one.
        public var clusterID: String?
        /// The topics asked for.
        public var topics: [Topic]
    }

    /// The API keys the broker serves, with their highest version.
    public static func apiVersions(_ connection: BrokerConnection) throws -> [Int16: Int16] {
        var reader = try connection.send(apiKey: 18, version: 0, body: WireWriter())
        let error = try reader.int16()
        guard error == 0 else { throw ProtocolError.broker(api: "ApiVersions", code: error) }
        let entries = try reader.array { r in (try r.int16(), try r.int16(), try r.int16()) }
        return Dictionary(entries.map { ($0.0, $0.2) }, uniquingKeysWith: { a, _ in a })
    }

    /// Metadata for `topics`, or for every topic when `topics` is nil. Naming a
    /// missing topic makes a broker with `auto.create.topics.enable` (and the
    /// embedded cluster) create it; Metadata v2 has no per-request switch, so ask
    /// for every topic to find out what exists without creating anything.
    public static func metadata(_ connection: BrokerConnection, topics: [String]?) throws -> Metadata {
        var body = WireWriter()
        if let topics { body.array(topics) { $0.string($1) } } else { body.int32(-1) }
        var reader = try connection.send(apiKey: 3, version: 2, body: body)
        let brokers = try reader.array { r -> Broker in
            let id = try r.int32()
            let host = try r.string()
            let port = try r.int32()
            _ = try r.nullableString()  // rack
            return Broker(id: id, address: "\(host):\(port)")
        }
        let clusterID = try reader.nullableString()
        _ = try reader.int32()  // controller
        let topicList = try reader.array { r -> Topic in
            let error = try r.int16()
            let name = try r.string()
            _ = try r.bool()  // internal
            let partitions = try r.array { p -> (error: Int16, index: Int32, leader: Int32) in
                let error = try p.int16()
                let index = try p.int32()
                let leader = try p.int32()
                _ = try p.array { try $0.int32() }  // replicas
                _ = try p.array { try $0.int32() }  // isr
                return (error, index, leader)
            }
            var leaders = [Int32](repeating: -1, count: partitions.count)
            var errors = [Int16](repeating: 0, count: partitions.count)
            for partition in partitions where partition.index >= 0 && Int(partition.index) < partitions.count {
                leaders[Int(partition.index)] = partition.leader
                errors[Int(partition.index)] = partition.error
            }
            return Topic(name: name, error: error, partitions: partitions.count, leaders: leaders, partitionErrors: errors)
        }
        return Metadata(brokers: brokers, clusterID: clusterID, topics: topicList)
    }

    /// InitProducerId v0 for an idempotent (non-transactional) producer: a new
    /// producer id and epoch.
    public static func initProducerID(_ connection: BrokerConnection, timeoutMs: Int) throws -> (id: Int64, epoch: Int16) {
        var body = WireWriter()
        body.string(nil)  // transactional id
        body.int32(Int32(timeoutMs))
        var reader = try connection.send(apiKey: 22, version: 0, body: body)
        _ = try reader.int32()  // throttle
        let error = try reader.int16()
        let id = try reader.int64()
        let epoch = try reader.int16()
        guard error == 0 else { throw ProtocolError.broker(api: "InitProducerId", code: error) }
        return (id, epoch)
    }

    /// The address of `group`'s coordinator.
    public static func findCoordinator(_ connection: BrokerConnection, group: String) throws -> String {
        var body = WireWriter()
        body.string(group)
        body.int8(0)  // key type: group
        var reader = try connection.send(apiKey: 10, version: 1, body: body)
        _ = try reader.int32()
        let error = try reader.int16()
        _ = try reader.nullableString()
        guard error == 0 else { throw ProtocolError.broker(api: "FindCoordinator", code: error) }
        _ = try reader.int32()
        let host = try reader.string()
        let port = try reader.int32()
        return "\(host):\(port)"
    }

    /// A JoinGroup answer.
    public struct JoinResult: Sendable {
        /// The new generation.
        public var generation: Int32
        /// The member id the coordinator gave this member.
        public var memberID: String
        /// The leader's member id.
        public var leaderID: String
        /// Every member with its metadata (filled for the leader only).
        public var members: [(id: String, metadata: [UInt8])]
    }

    /// JoinGroup v2.
    public static func joinGroup(
        _ connection: BrokerConnection, group: String, memberID: String, sessionTimeoutMs: Int,
        rebalanceTimeoutMs: Int, protocolType: String, protocolName: String, metadata: [UInt8]
    ) throws -> JoinResult {
        var body = WireWriter()
        body.string(group)
        body.int32(Int32(sessionTimeoutMs))
        body.int32(Int32(rebalanceTimeoutMs))
        body.string(memberID)
        body.string(protocolType)
        body.array([(protocolName, metadata)]) { w, p in
            w.string(p.0)
            w.data(p.1)
        }
        var reader = try connection.send(apiKey: 11, version: 2, body: body)
        _ = try reader.int32()
        let error = try reader.int16()
        let generation = try reader.int32()
        _ = try reader.string()  // protocol name
        let leader = try reader.string()
        let member = try reader.string()
        let members = try reader.array { r in (id: try r.string(), metadata: try r.data()) }
        guard error == 0 else { throw ProtocolError.broker(api: "JoinGroup", code: error) }
        return JoinResult(generation: generation, memberID: member, leaderID: leader, members: members)
    }

    /// SyncGroup v1: the leader sends `assignments`; every member gets its own back.
    public static func syncGroup(
        _ connection: BrokerConnection, group: String, generation: Int32, memberID: String,
        assignments: [String: [UInt8]]
    ) throws -> [UInt8] {
        var body = WireWriter()
        body.string(group)
        body.int32(generation)
        body.string(memberID)
        body.array(assignments.sorted { $0.key < $1.key }) { w, entry in
            w.string(entry.key)
            w.data(entry.value)
        }
        var reader = try connection.send(apiKey: 14, version: 1, body: body)
        _ = try reader.int32()
        let error = try reader.int16()
        let assignment = try reader.data()
        guard error == 0 else { throw ProtocolError.broker(api: "SyncGroup", code: error) }
        return assignment
    }

    /// Heartbeat v1; returns Kafka's error code (27 means a rebalance started).
    public static func heartbeat(_ connection: BrokerConnection, group: String, generation: Int32, memberID: String) throws -> Int16 {
        var body = WireWriter()
        body.string(group)
        body.int32(generation)
        body.string(memberID)
        var reader = try connection.send(apiKey: 12, version: 1, body: body)
        _ = try reader.int32()
        return try reader.int16()
    }

    /// LeaveGroup v1.
    public static func leaveGroup(_ connection: BrokerConnection, group: String, memberID: String) throws {
        var body = WireWriter()
        body.string(group)
        body.string(memberID)
        var reader = try connection.send(apiKey: 13, version: 1, body: body)
        _ = try reader.int32()
        let error = try reader.int16()
        guard error == 0 || error == 25 else { throw ProtocolError.broker(api: "LeaveGroup", code: error) }
    }
}
