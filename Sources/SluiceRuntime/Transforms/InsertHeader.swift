import SluiceCore

/// Kafka Connect's `InsertHeader`: adds a header with a fixed value to every record.
///
/// ```properties
/// transforms.h.type=org.apache.kafka.connect.transforms.InsertHeader
/// transforms.h.header=origin
/// transforms.h.value.literal=orders-db
/// ```
///
/// The header is added after the record's own, even when one of them has the same
/// name, as in Kafka. Its value is the literal's text as UTF-8, which is what Kafka's
/// `SimpleHeaderConverter` writes for a literal string or number.
public struct InsertHeader: Transformation {
    /// The header added.
    public let header: RecordHeader

    /// Creates the transform (`header`, `value.literal`).
    public init(name: String, literal: String) {
        header = RecordHeader(name: name, value: Array(literal.utf8))
    }

    public func apply(_ record: inout ConnectRecord) throws -> Bool {
        record.headers.append(header)
        return true
    }
}
