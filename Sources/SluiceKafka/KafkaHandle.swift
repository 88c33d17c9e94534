import CRdKafka

/// Owns one `rd_kafka_t` (a producer or a consumer instance) and destroys it in `deinit`.
///
/// Shared by ``Producer``, ``Consumer`` and ``EmbeddedKafka`` for what every
/// librdkafka instance can do: metadata and reachability checks.
final class KafkaHandle: @unchecked Sendable {
    /// The librdkafka instance; valid until `deinit`. librdkafka's own calls are thread-safe.
    let pointer: OpaquePointer
    let bootstrapServers: String
    /// An object the native callbacks point at; released only after `rd_kafka_destroy`.
    private let context: AnyObject?

    /// Creates an instance of `type` from `configuration`; `prepare` may add callbacks
    /// and an opaque to the native configuration before it is consumed.
    init(
        type: rd_kafka_type_t,
        configuration: KafkaConfiguration,
        context: AnyObject? = nil,
        prepare: (OpaquePointer) -> Void = { _ in }
    ) throws {
        let conf = try configuration.makeNativeConfiguration()
        prepare(conf)
        var errorText = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(type, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError.clientCreationFailed(reason: KafkaError.text(buffer: errorText))
        }
        pointer = handle
        self.context = context
        bootstrapServers = configuration.bootstrapServers
    }

    deinit {
        rd_kafka_destroy(pointer)
    }

    /// Fetches cluster metadata; throws ``KafkaError/unreachable(bootstrapServers:timeoutMs:reason:)``
    /// when no broker answers within `timeoutMs`.
    func metadata(topic: OpaquePointer? = nil, timeoutMs: Int) throws -> ClusterMetadata {
        var raw: UnsafePointer<rd_kafka_metadata>?
        let code = rd_kafka_metadata(pointer, topic == nil ? 1 : 0, topic, &raw, Int32(timeoutMs))
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let raw else {
            throw KafkaError.unreachable(
                bootstrapServers: bootstrapServers, timeoutMs: timeoutMs, reason: KafkaError.text(code))
        }
        defer { rd_kafka_metadata_destroy(raw) }
        return ClusterMetadata(raw.pointee)
    }
}
