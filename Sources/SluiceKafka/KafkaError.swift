import CRdKafka

/// Errors from the Kafka layer. Each names what a user has to change.
public enum KafkaError: Error, Equatable, CustomStringConvertible {
    /// librdkafka rejected a property name or value.
    case invalidProperty(name: String, value: String, reason: String)
    /// `rd_kafka_new` failed.
    case clientCreationFailed(reason: String)
    /// The cluster did not answer within the time allowed.
    case unreachable(bootstrapServers: String, timeoutMs: Int, reason: String)
    /// A producer call failed for a reason other than a full queue.
    case produceFailed(topic: String, reason: String)
    /// Records still undelivered when a flush gave up.
    case flushTimedOut(outstanding: Int, timeoutMs: Int)
    /// A consumer call failed.
    case consumeFailed(reason: String)
    /// A topic or partition request failed.
    case topicFailed(topic: String, reason: String)
    /// A consumer group request failed (its offsets could not be read or changed).
    case groupFailed(group: String, reason: String)
    /// A consumer group's offsets cannot be changed from outside while it has members
    /// (Kafka's `UNKNOWN_MEMBER_ID`, `NON_EMPTY_GROUP`, `GROUP_SUBSCRIBED_TO_TOPIC`, ...).
    case groupHasMembers(group: String, reason: String)
    /// The cluster does not serve admin requests (librdkafka's mock cluster does not).
    case adminNotSupported(operation: String, reason: String)
    /// An embedded-cluster operation failed.
    case embeddedClusterFailed(reason: String)

    public var description: String {
        switch self {
        case let .invalidProperty(name, value, reason):
            return "invalid librdkafka property '\(name)=\(value)': \(reason)"
        case let .clientCreationFailed(reason):
            return "could not create a Kafka client: \(reason)"
        case let .unreachable(servers, timeoutMs, reason):
            return "cannot reach Kafka at \(servers) within \(timeoutMs) ms: \(reason)"
        case let .produceFailed(topic, reason):
            return "producing to '\(topic)' failed: \(reason)"
        case let .flushTimedOut(outstanding, timeoutMs):
            return "\(outstanding) records were still undelivered after \(timeoutMs) ms"
        case let .consumeFailed(reason):
            return "consuming failed: \(reason)"
        case let .topicFailed(topic, reason):
            return "topic '\(topic)': \(reason)"
        case let .groupFailed(group, reason):
            return "consumer group '\(group)': \(reason)"
        case let .groupHasMembers(group, reason):
            return "consumer group '\(group)' has members (\(reason)): Kafka changes a group's offsets from outside only while no consumer is in it"
        case let .adminNotSupported(operation, reason):
            return "the cluster does not serve \(operation) (\(reason)); the embedded cluster never does"
        case let .embeddedClusterFailed(reason):
            return "embedded Kafka cluster: \(reason)"
        }
    }

    /// The NUL-terminated text librdkafka wrote into an error buffer.
    static func text(buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text librdkafka gives for an error code.
    static func text(_ code: rd_kafka_resp_err_t) -> String {
        String(cString: rd_kafka_err2str(code))
    }
}
