import CRdKafka

/// One request of librdkafka's admin API and its answer, shared by ``TopicAdmin``
/// and ``ConsumerGroupAdmin``.
enum AdminRequest {
    /// Issues a request and reads its answer: `send` issues it with the options
    /// (request timeout set) and a reply queue; `read` reads the answer's event.
    ///
    /// A cluster that does not answer in time, or does not know the API (the embedded
    /// one, for most of them), ends in ``KafkaError/adminNotSupported(operation:reason:)``;
    /// other request errors in the error `failure` makes of librdkafka's text.
    static func run<Result>(
        _ operation: String, _ kind: rd_kafka_admin_op_t, failure: (String) -> KafkaError, handle: KafkaHandle, timeoutMs: Int,
        send: (_ options: OpaquePointer?, _ queue: OpaquePointer?) -> Void,
        read: (_ event: OpaquePointer) throws -> Result
    ) throws -> Result {
        let queue = rd_kafka_queue_new(handle.pointer)
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(handle.pointer, kind)
        defer { rd_kafka_AdminOptions_destroy(options) }
        var errorText = [CChar](repeating: 0, count: 512)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, Int32(timeoutMs), &errorText, errorText.count)
        send(options, queue)
        guard let event = rd_kafka_queue_poll(queue, Int32(timeoutMs + 2_000)) else {
            throw KafkaError.adminNotSupported(operation: operation, reason: "no answer within \(timeoutMs) ms")
        }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        if eventError != RD_KAFKA_RESP_ERR_NO_ERROR {
            let reason = String(cString: rd_kafka_event_error_string(event))
            if eventError == RD_KAFKA_RESP_ERR__TIMED_OUT || eventError == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE {
                throw KafkaError.adminNotSupported(operation: operation, reason: reason)
            }
            throw failure(reason)
        }
        return try read(event)
    }
}
