import Foundation

/// Kafka Connect's `Filter`: drops every record its predicate matches (or, with
/// `negate=true`, every record it does not match); without a predicate, every record.
public struct Filter: Transformation {
    /// The condition that selects records to drop, or `nil` to drop them all.
    public var predicate: (any RecordPredicate)?
    /// Drop the records that do *not* match instead.
    public var negate: Bool

    /// Creates the transform.
    public init(predicate: (any RecordPredicate)? = nil, negate: Bool = false) {
        self.predicate = predicate
        self.negate = negate
    }

    public func apply(_ record: inout ConnectRecord) throws -> Bool {
        guard let predicate else { return false }
        return predicate.test(record) == negate
    }
}

/// Kafka Connect's `TopicNameMatches` predicate: the whole topic matches `pattern`.
public struct TopicNameMatches: RecordPredicate, @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented thread-safe.
    private let regex: NSRegularExpression

    /// - Throws: ``RuntimeError/invalidConfig(name:value:reason:)`` for a bad pattern.
    public init(pattern: String) throws {
        do {
            regex = try NSRegularExpression(pattern: "^(?:" + pattern + ")$")
        } catch {
            throw RuntimeError.invalidConfig(name: "pattern", value: pattern, reason: "not a valid regular expression")
        }
    }

    public func test(_ record: ConnectRecord) -> Bool {
        regex.firstMatch(in: record.topic, range: NSRange(record.topic.startIndex..., in: record.topic)) != nil
    }
}
