/// Kafka Connect's `RecordIsTombstone` predicate: the record's value is null.
///
/// ```properties
/// predicates.isTombstone.type=org.apache.kafka.connect.transforms.predicates.RecordIsTombstone
/// ```
public struct RecordIsTombstone: RecordPredicate {
    /// Creates the predicate; it has no settings.
    public init() {}

    public func test(_ record: ConnectRecord) -> Bool {
        record.value == .null
    }
}
