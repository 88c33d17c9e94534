import CRdKafka

/// Creates topics on a real cluster through Kafka's admin API.
///
/// librdkafka's mock cluster does not answer admin requests; there the call ends
/// in ``KafkaError/adminNotSupported(operation:reason:)`` after `timeoutMs`, and a
/// caller can fall back to auto-created topics or ``EmbeddedKafka/createTopic(_:partitions:replicationFactor:)``.
public struct TopicAdmin: Sendable {
    /// The cluster's client settings.
    public let configuration: KafkaConfiguration

    /// Creates an admin client description for `configuration`.
    public init(configuration: KafkaConfiguration) {
        self.configuration = configuration
    }

    /// Creates `name`; an existing topic is not an error.
    public func createTopic(
        _ name: String, partitions: Int, replicationFactor: Int = -1,
        config: [String: String] = [:], timeoutMs: Int = 10_000
    ) throws {
        let handle = try KafkaHandle(type: RD_KAFKA_PRODUCER, configuration: configuration)
        var errorText = [CChar](repeating: 0, count: 512)
        guard let topic = rd_kafka_NewTopic_new(name, Int32(partitions), Int32(replicationFactor), &errorText, errorText.count)
        else {
            throw KafkaError.topicFailed(topic: name, reason: KafkaError.text(buffer: errorText))
        }
        defer { rd_kafka_NewTopic_destroy(topic) }
        for (key, value) in config {
            let code = rd_kafka_NewTopic_set_config(topic, key, value)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError.topicFailed(topic: name, reason: "\(key)=\(value): \(KafkaError.text(code))")
            }
        }
        try AdminRequest.run(
            "CreateTopics", RD_KAFKA_ADMIN_OP_CREATETOPICS, failure: { KafkaError.topicFailed(topic: name, reason: $0) }, handle: handle, timeoutMs: timeoutMs,
            send: { options, queue in
                var topics: [OpaquePointer?] = [topic]
                rd_kafka_CreateTopics(handle.pointer, &topics, 1, options, queue)
            },
            read: { event in
                guard let result = rd_kafka_event_CreateTopics_result(event) else { return }
                var count = 0
                guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return }
                for i in 0..<count {
                    let code = rd_kafka_topic_result_error(results[i])
                    if code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                        throw KafkaError.topicFailed(topic: name, reason: String(cString: rd_kafka_topic_result_error_string(results[i])))
                    }
                }
            })
    }

    /// The settings of topic `name` (e.g. `cleanup.policy`), through DescribeConfigs.
    /// - Throws: ``KafkaError/adminNotSupported(operation:reason:)`` on a cluster that
    ///   does not answer it, ``KafkaError/topicFailed(topic:reason:)`` otherwise.
    public func topicConfig(_ name: String, timeoutMs: Int = 10_000) throws -> [String: String] {
        let handle = try KafkaHandle(type: RD_KAFKA_PRODUCER, configuration: configuration)
        guard let resource = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, name) else {
            throw KafkaError.topicFailed(topic: name, reason: "cannot describe it")
        }
        defer { rd_kafka_ConfigResource_destroy(resource) }
        return try AdminRequest.run(
            "DescribeConfigs", RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, failure: { KafkaError.topicFailed(topic: name, reason: $0) }, handle: handle, timeoutMs: timeoutMs,
            send: { options, queue in
                var resources: [OpaquePointer?] = [resource]
                rd_kafka_DescribeConfigs(handle.pointer, &resources, 1, options, queue)
            },
            read: { event in
                var settings: [String: String] = [:]
                guard let result = rd_kafka_event_DescribeConfigs_result(event) else { return settings }
                var count = 0
                guard let described = rd_kafka_DescribeConfigs_result_resources(result, &count) else { return settings }
                for index in 0..<count {
                    let code = rd_kafka_ConfigResource_error(described[index])
                    if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                        throw KafkaError.topicFailed(topic: name, reason: KafkaError.text(code))
                    }
                    var entryCount = 0
                    guard let entries = rd_kafka_ConfigResource_configs(described[index], &entryCount) else { continue }
                    for entry in 0..<entryCount {
                        guard let key = rd_kafka_ConfigEntry_name(entries[entry]) else { continue }
                        settings[String(cString: key)] = rd_kafka_ConfigEntry_value(entries[entry]).map { String(cString: $0) } ?? ""
                    }
                }
                return settings
            })
    }
}
