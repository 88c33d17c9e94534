/// Errors of the native produce path. Each names the topic, partition, setting or
/// broker a user has to look at.
public enum NativeProducerError: Error, Equatable, CustomStringConvertible {
    /// A setting the native path reads has a value it cannot use.
    case invalidSetting(name: String, value: String, reason: String)
    /// A record larger than a batch (`batch.size`) or a request (`message.max.bytes`).
    case recordTooLarge(topic: String, bytes: Int, limit: Int, setting: String)
    /// A record names a partition the topic does not have.
    case unknownPartition(topic: String, partition: Int32, partitions: Int)
    /// The broker refused a batch for a reason retrying cannot fix.
    case rejected(topic: String, partition: Int32, code: Int16, name: String)
    /// Records not acknowledged within `delivery.timeout.ms`.
    case deliveryTimedOut(topic: String, partition: Int32, timeoutMs: Int, lastError: String)
    /// Compressing a batch failed.
    case compressionFailed(codec: String, reason: String)
    /// No broker of the cluster could be reached or asked for metadata.
    case unreachable(bootstrapServers: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidSetting(name, value, reason):
            return "invalid producer setting '\(name)=\(value)': \(reason)"
        case let .recordTooLarge(topic, bytes, limit, setting):
            return "a record of \(bytes) bytes for topic '\(topic)' is larger than \(setting) (\(limit) bytes); raise \(setting) (and the broker's message.max.bytes) or shrink the record"
        case let .unknownPartition(topic, partition, partitions):
            return "a record for topic '\(topic)' names partition \(partition), but the topic has \(partitions) partitions"
        case let .rejected(topic, partition, code, name):
            return "the broker refused records for '\(topic)' partition \(partition): \(name) (error \(code))"
        case let .deliveryTimedOut(topic, partition, timeoutMs, lastError):
            return "records for '\(topic)' partition \(partition) were not acknowledged within delivery.timeout.ms (\(timeoutMs) ms); last error: \(lastError)"
        case let .compressionFailed(codec, reason):
            return "\(codec) compression failed: \(reason)"
        case let .unreachable(servers, reason):
            return "cannot reach Kafka at \(servers): \(reason)"
        }
    }
}

/// Kafka's error codes that the produce path handles by name.
package enum KafkaErrorCode {
    /// Whether a Produce error is worth retrying (Kafka's RetriableException family,
    /// plus the sequence errors that follow a retried batch).
    package static func isRetriable(_ code: Int16) -> Bool {
        switch code {
        case 3, 5, 6, 7, 13, 14, 15, 16, 19, 20, 45, 56, 59, 74, 75: return true
        default: return false
        }
    }

    /// Kafka's name for an error code (the ones a producer meets; others by number).
    package static func name(_ code: Int16) -> String {
        switch code {
        case -1: return "UNKNOWN_SERVER_ERROR"
        case 2: return "CORRUPT_MESSAGE"
        case 3: return "UNKNOWN_TOPIC_OR_PARTITION"
        case 5: return "LEADER_NOT_AVAILABLE"
        case 6: return "NOT_LEADER_OR_FOLLOWER"
        case 7: return "REQUEST_TIMED_OUT"
        case 10: return "MESSAGE_TOO_LARGE"
        case 13: return "NETWORK_EXCEPTION"
        case 14: return "COORDINATOR_LOAD_IN_PROGRESS"
        case 15: return "COORDINATOR_NOT_AVAILABLE"
        case 16: return "NOT_COORDINATOR"
        case 17: return "INVALID_TOPIC_EXCEPTION"
        case 18: return "RECORD_LIST_TOO_LARGE"
        case 19: return "NOT_ENOUGH_REPLICAS"
        case 20: return "NOT_ENOUGH_REPLICAS_AFTER_APPEND"
        case 21: return "INVALID_REQUIRED_ACKS"
        case 29: return "TOPIC_AUTHORIZATION_FAILED"
        case 31: return "CLUSTER_AUTHORIZATION_FAILED"
        case 32: return "INVALID_TIMESTAMP"
        case 35: return "UNSUPPORTED_VERSION"
        case 43: return "UNSUPPORTED_FOR_MESSAGE_FORMAT"
        case 45: return "OUT_OF_ORDER_SEQUENCE_NUMBER"
        case 46: return "DUPLICATE_SEQUENCE_NUMBER"
        case 47: return "INVALID_PRODUCER_EPOCH"
        case 56: return "KAFKA_STORAGE_ERROR"
        case 59: return "UNKNOWN_PRODUCER_ID"
        case 74: return "FENCED_LEADER_EPOCH"
        case 75: return "UNKNOWN_LEADER_EPOCH"
        case 76: return "UNSUPPORTED_COMPRESSION_TYPE"
        case 87: return "INVALID_RECORD"
        default: return "error \(code)"
        }
    }
}
