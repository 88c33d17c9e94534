/// A single message transform, like Kafka Connect's `Transformation`
/// (`transforms=a,b`, `transforms.a.type=...`).
public protocol Transformation: Sendable {
    /// Transforms `record` in place; returns `false` to drop it.
    func apply(_ record: inout ConnectRecord) throws -> Bool
}

/// A condition on a record, like Kafka Connect's `Predicate` (`predicates=p`, `predicates.p.type=...`).
public protocol RecordPredicate: Sendable {
    func test(_ record: ConnectRecord) -> Bool
}
