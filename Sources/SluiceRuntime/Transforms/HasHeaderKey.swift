/// Kafka Connect's `HasHeaderKey` predicate: the record has at least one header named `name`.
///
/// ```properties
/// predicates.traced.type=org.apache.kafka.connect.transforms.predicates.HasHeaderKey
/// predicates.traced.name=trace-id
/// ```
public struct HasHeaderKey: RecordPredicate {
    /// The header name looked for (`name`).
    public let name: String

    /// Creates the predicate.
    public init(name: String) {
        self.name = name
    }

    public func test(_ record: ConnectRecord) -> Bool {
        record.headers.contains { $0.name == name }
    }
}
