/// Where a worker keeps the source offsets of its connectors: a local file in
/// standalone mode (``OffsetFile``), the offset topic in distributed mode
/// (``KafkaOffsetStore``).
///
/// Source task runners ``record(connector:partition:offset:)`` offsets in memory as
/// batches are acknowledged (in batch order); the worker calls ``flush()`` every
/// `offset.flush.interval.ms` and when tasks stop. Implementations are thread-safe.
public protocol OffsetStore: AnyObject, Sendable {
    /// The committed offsets of `connector`, by source partition name.
    func offsets(of connector: String) -> [String: SourceOffset]
    /// Records that `connector`'s `partition` is committed up to `offset`.
    func record(connector: String, partition: String, offset: SourceOffset)
    /// Forgets `connector`'s offsets.
    func reset(connector: String) throws
    /// Sets the offsets of `connector`'s partitions named in `offsets` (others keep
    /// theirs) and makes them durable (the REST API's `PATCH .../offsets`).
    func set(connector: String, offsets: [String: SourceOffset]) throws
    /// Makes the recorded offsets durable.
    func flush() throws
}
