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
        let queue = rd_kafka_queue_new(handle.pointer)
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(handle.pointer, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_request_timeout(options, Int32(timeoutMs), &errorText, errorText.count)
        var topics: [OpaquePointer?] = [topic]
        rd_kafka_CreateTopics(handle.pointer, &topics, 1, options, queue)
        guard let event = rd_kafka_queue_poll(queue, Int32(timeoutMs + 2_000)) else {
            throw KafkaError.adminNotSupported(operation: "CreateTopics", reason: "no answer within \(timeoutMs) ms")
        }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        if eventError != RD_KAFKA_RESP_ERR_NO_ERROR {
            let reason = String(cString: rd_kafka_event_error_string(event))
            if eventError == RD_KAFKA_RESP_ERR__TIMED_OUT || eventError == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE {
                throw KafkaError.adminNotSupported(operation: "CreateTopics", reason: reason)
            }
            throw KafkaError.topicFailed(topic: name, reason: reason)
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else { return }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return }
        for i in 0..<count {
            let code = rd_kafka_topic_result_error(results[i])
            if code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                throw KafkaError.topicFailed(topic: name, reason: String(cString: rd_kafka_topic_result_error_string(results[i])))
            }
        }
    }
}
