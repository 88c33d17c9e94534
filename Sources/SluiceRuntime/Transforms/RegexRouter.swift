import Foundation

/// Kafka Connect's `RegexRouter`: when the whole topic matches `regex`, the topic
/// becomes `replacement` (with `$1`-style groups).
public struct RegexRouter: Transformation, @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented thread-safe.
    private let regex: NSRegularExpression
    private let replacement: String

    /// - Throws: ``RuntimeError/invalidConfig(name:value:reason:)`` for a bad pattern.
    public init(regex pattern: String, replacement: String) throws {
        do {
            regex = try NSRegularExpression(pattern: "^(?:" + pattern + ")$")
        } catch {
            throw RuntimeError.invalidConfig(name: "regex", value: pattern, reason: "not a valid regular expression")
        }
        self.replacement = replacement
    }

    public func apply(_ record: inout ConnectRecord) throws -> Bool {
        let range = NSRange(record.topic.startIndex..., in: record.topic)
        if regex.firstMatch(in: record.topic, range: range) != nil {
            record.topic = regex.stringByReplacingMatches(in: record.topic, range: range, withTemplate: replacement)
        }
        return true
    }
}
