import Foundation

/// Kafka Connect's `TimestampRouter`: the topic becomes `topic.format` with
/// `${topic}` and `${timestamp}` (the record's timestamp as `timestamp.format`, in UTC)
/// filled in, for sinks that write one table or index per period.
///
/// ```properties
/// transforms.daily.type=org.apache.kafka.connect.transforms.TimestampRouter
/// transforms.daily.topic.format=${topic}-${timestamp}
/// transforms.daily.timestamp.format=yyyyMMdd
/// ```
public struct TimestampRouter: Transformation {
    /// The new topic's form (`topic.format`).
    public var topicFormat: String
    private let pattern: TimestampPattern

    /// Creates the router; `timestampFormat` is a `SimpleDateFormat` pattern (``TimestampPattern``).
    /// - Throws: ``RuntimeError/invalidConfig(name:value:reason:)`` for a pattern it cannot write.
    public init(topicFormat: String = "${topic}-${timestamp}", timestampFormat: String = "yyyyMMdd") throws {
        self.topicFormat = topicFormat
        pattern = try TimestampPattern(timestampFormat)
    }

    public func apply(_ record: inout ConnectRecord) throws -> Bool {
        guard record.timestampMs != 0 else {
            throw ConversionError.unsupported(
                "TimestampRouter needs a record timestamp; the record to '\(record.topic)' has none")
        }
        var topic = topicFormat.replacingOccurrences(of: "${topic}", with: record.topic)
        if topic.contains("${timestamp}") {
            topic = topic.replacingOccurrences(
                of: "${timestamp}", with: pattern.format(epochMilliseconds: record.timestampMs))
        }
        record.topic = topic
        return true
    }
}
