/// A read-only view of one record inside a ``RecordBatch``'s arena.
///
/// Valid only while the batch is neither reset nor freed (see ``RecordBatch``).
public struct RecordView {
    @usableFromInline let arena: UnsafeRawPointer
    /// The record's index entry (offsets, lengths, timestamp, partition).
    public let entry: RecordEntry

    @inlinable
    init(arena: UnsafeRawPointer, entry: RecordEntry) {
        self.arena = arena
        self.entry = entry
    }

    /// The key bytes, or `nil` for a null key.
    @inlinable
    public var key: UnsafeRawBufferPointer? {
        entry.keyLength < 0
            ? nil : UnsafeRawBufferPointer(start: arena + Int(entry.keyOffset), count: Int(entry.keyLength))
    }

    /// The value bytes, or `nil` for a null value.
    @inlinable
    public var value: UnsafeRawBufferPointer? {
        entry.valueLength < 0
            ? nil : UnsafeRawBufferPointer(start: arena + Int(entry.valueOffset), count: Int(entry.valueLength))
    }

    /// The record's headers, decoded from the arena (allocates; not for hot paths).
    public var headers: [RecordHeader] {
        guard entry.headerCount > 0 else { return [] }
        return RecordHeader.decode(count: Int(entry.headerCount), from: arena + Int(entry.headersOffset))
    }
}
