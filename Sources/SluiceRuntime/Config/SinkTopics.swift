import Foundation

/// The topics a sink connector reads: Kafka Connect's `topics` (a comma-separated
/// list) or `topics.regex` (a pattern every topic name must match whole; topics
/// created later that match are picked up when the consumer next refreshes its
/// metadata, `topic.metadata.refresh.interval.ms`, 5 minutes by default, as Kafka's
/// `metadata.max.age.ms`).
public enum SinkTopics {
    /// What the consumer subscribes to: the listed topics, or one librdkafka pattern
    /// (a leading `^` marks it) anchored at both ends.
    public static func subscription(from config: [String: String]) -> [String] {
        if let pattern = config["topics.regex"]?.trimmingCharacters(in: .whitespaces), !pattern.isEmpty {
            return ["^(\(pattern))$"]
        }
        return (config["topics"] ?? "").split(separator: ",")
            .map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Problems with a sink's `topics` and `topics.regex`: neither set, both set, a
    /// pattern that does not compile.
    static func problems(in config: [String: String]) -> [ConfigProblem] {
        let topics = (config["topics"] ?? "").trimmingCharacters(in: .whitespaces)
        let pattern = (config["topics.regex"] ?? "").trimmingCharacters(in: .whitespaces)
        switch (topics.isEmpty, pattern.isEmpty) {
        case (true, true):
            return [ConfigProblem(name: "topics", value: nil, message: "Must configure one of topics or topics.regex")]
        case (false, false):
            return [ConfigProblem(
                name: "topics.regex", value: pattern,
                message: "topics and topics.regex are mutually exclusive options, but both are set (topics=\(topics)); set one")]
        case (true, false):
            guard (try? NSRegularExpression(pattern: pattern)) != nil else {
                return [ConfigProblem(name: "topics.regex", value: pattern, message: "Invalid value \(pattern) for configuration topics.regex: not a valid regular expression")]
            }
            return []
        case (false, true):
            return []
        }
    }
}
