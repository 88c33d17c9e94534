import CRdKafka
import Synchronization

/// An in-process Kafka cluster: librdkafka's mock cluster, a real Kafka-protocol
/// server on loopback TCP.
///
/// Other clients, in this process or others, reach it through
/// ``bootstrapServers``. It serves produce, fetch, metadata, offsets and consumer
/// groups but no admin requests, so topics are made with ``createTopic(_:partitions:replicationFactor:)``
/// here (only the owning process can); elsewhere, topics are auto-created on first
/// use with 4 partitions. Brokers can be taken down and up for fault injection.
///
/// ```swift
/// let cluster = try EmbeddedKafka(brokers: 3)
/// try cluster.createTopic("events", partitions: 8, replicationFactor: 3)
/// var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
/// ```
public final class EmbeddedKafka: @unchecked Sendable {
    /// The number of brokers; their ids are `1...brokerCount`.
    public let brokerCount: Int
    /// `host:port,host:port,...` of the brokers.
    public let bootstrapServers: String
    private let owner: KafkaHandle
    private let cluster: OpaquePointer
    /// Topics created here and brokers taken down, for leader election.
    private let state = Mutex<(topics: [String: (partitions: Int, replication: Int)], down: Set<Int>)>(([:], []))

    /// Starts a cluster of `brokers` brokers on loopback.
    /// - Throws: ``KafkaError/embeddedClusterFailed(reason:)``.
    public init(brokers: Int = 1) throws {
        guard brokers >= 1 else {
            throw KafkaError.embeddedClusterFailed(reason: "a cluster needs at least one broker, not \(brokers)")
        }
        var config = KafkaConfiguration()
        // The owning handle never connects anywhere; it only hosts the mock cluster.
        config["bootstrap.servers"] = "127.0.0.1:1"
        config["log_level"] = "0"
        owner = try KafkaHandle(type: RD_KAFKA_PRODUCER, configuration: config)
        guard let cluster = rd_kafka_mock_cluster_new(owner.pointer, Int32(brokers)) else {
            throw KafkaError.embeddedClusterFailed(reason: "rd_kafka_mock_cluster_new failed")
        }
        self.cluster = cluster
        brokerCount = brokers
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
    }

    /// Creates `name` with `partitions` partitions replicated `replicationFactor` times.
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws {
        guard partitions >= 1 else {
            throw KafkaError.topicFailed(topic: name, reason: "a topic needs at least one partition, not \(partitions)")
        }
        guard replicationFactor >= 1 && replicationFactor <= brokerCount else {
            throw KafkaError.topicFailed(
                topic: name,
                reason: "replication factor \(replicationFactor) needs 1...\(brokerCount) brokers")
        }
        let code = rd_kafka_mock_topic_create(cluster, name, Int32(partitions), Int32(replicationFactor))
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.topicFailed(topic: name, reason: KafkaError.text(code))
        }
        state.withLock { $0.topics[name] = (partitions, replicationFactor) }
    }

    /// Takes broker `id` (1-based) down: it closes its connections and refuses new ones.
    ///
    /// The mock cluster has no controller, so by itself a down broker stays the
    /// leader of its partitions and they stall. With `electLeaders`, every
    /// replicated partition of the topics created here is led by an up broker
    /// from then on, as a real cluster's controller would do (the mock does not
    /// track which brokers are replicas, so leaders go round-robin over the up ones).
    public func setBrokerDown(_ id: Int, electLeaders: Bool = false) throws {
        try checkBroker(id)
        let code = rd_kafka_mock_broker_set_down(cluster, Int32(id))
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.embeddedClusterFailed(reason: "broker \(id) down: \(KafkaError.text(code))")
        }
        let (topics, up) = state.withLock { state -> ([String: (partitions: Int, replication: Int)], [Int]) in
            state.down.insert(id)
            return (state.topics, (1...brokerCount).filter { !state.down.contains($0) })
        }
        guard electLeaders, !up.isEmpty else { return }
        for (topic, shape) in topics.sorted(by: { $0.key < $1.key }) where shape.replication > 1 {
            for partition in 0..<shape.partitions {
                try setPartitionLeader(topic: topic, partition: partition, broker: up[partition % up.count])
            }
        }
    }

    /// Brings broker `id` (1-based) back up.
    public func setBrokerUp(_ id: Int) throws {
        try checkBroker(id)
        let code = rd_kafka_mock_broker_set_up(cluster, Int32(id))
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.embeddedClusterFailed(reason: "broker \(id) up: \(KafkaError.text(code))")
        }
        _ = state.withLock { $0.down.remove(id) }
    }

    /// Makes broker `id` the leader of `topic`'s `partition`.
    public func setPartitionLeader(topic: String, partition: Int, broker id: Int) throws {
        try checkBroker(id)
        let code = rd_kafka_mock_partition_set_leader(cluster, topic, Int32(partition), Int32(id))
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.embeddedClusterFailed(reason: "leader of \(topic)[\(partition)]: \(KafkaError.text(code))")
        }
    }

    /// Makes the next `codes.count` requests of API `apiKey` (0: Produce) to any
    /// broker fail with the given Kafka error codes, in order; a code of -195
    /// (librdkafka's transport error) makes the broker drop the connection instead.
    public func injectErrors(apiKey: Int16, codes: [Int16]) {
        let errors = codes.map { rd_kafka_resp_err_t(rawValue: Int32($0)) }
        errors.withUnsafeBufferPointer {
            rd_kafka_mock_push_request_errors_array(cluster, apiKey, $0.count, $0.baseAddress)
        }
    }

    private func checkBroker(_ id: Int) throws {
        guard (1...brokerCount).contains(id) else {
            throw KafkaError.embeddedClusterFailed(reason: "no broker \(id); brokers are 1...\(brokerCount)")
        }
    }
}
