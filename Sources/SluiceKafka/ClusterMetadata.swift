import CRdKafka

/// A snapshot of the brokers and topics a cluster reported.
public struct ClusterMetadata: Sendable, Equatable {
    /// A broker's id and address.
    public struct Broker: Sendable, Equatable {
        public var id: Int32
        public var host: String
        public var port: Int32
    }
    /// A topic's partitions, or the error the cluster reported for it.
    public struct Topic: Sendable, Equatable {
        public var name: String
        public var partitions: [Int32]
        public var error: String?
    }

    /// Brokers in the cluster.
    public var brokers: [Broker]
    /// Topics reported.
    public var topics: [Topic]

    init(_ raw: rd_kafka_metadata) {
        brokers = (0..<Int(raw.broker_cnt)).map { i in
            let b = raw.brokers[i]
            return Broker(id: b.id, host: String(cString: b.host), port: b.port)
        }
        topics = (0..<Int(raw.topic_cnt)).map { i in
            let t = raw.topics[i]
            return Topic(
                name: String(cString: t.topic),
                partitions: (0..<Int(t.partition_cnt)).map { t.partitions[$0].id }.sorted(),
                error: t.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError.text(t.err))
        }
    }
}
