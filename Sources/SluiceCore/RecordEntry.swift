/// Where one record's parts lie in its batch's arena.
///
/// Offsets are relative to the arena base; a length of `-1` means "null" (a Kafka
/// record may have a null key or a null value, which is not the same as empty).
/// The entry also carries the bookkeeping the delivery path needs, so that a
/// delivery report that points at an entry finds its batch and its write time
/// without a lookup.
public struct RecordEntry {
    /// Byte offset of the key in the arena.
    public var keyOffset: UInt32
    /// Key length in bytes, or -1 for a null key.
    public var keyLength: Int32
    /// Byte offset of the value in the arena.
    public var valueOffset: UInt32
    /// Value length in bytes, or -1 for a null value.
    public var valueLength: Int32
    /// Byte offset of the encoded headers in the arena.
    public var headersOffset: UInt32
    /// Number of headers (0 for none).
    public var headerCount: UInt32
    /// Partition, or -1 to let the producer's partitioner choose.
    public var partition: Int32
    /// Kafka timestamp in milliseconds since the epoch, or 0 for "now at produce time".
    public var timestampMs: Int64
    /// `MonotonicClock.nanoseconds()` when the record was written, for latency
    /// sampling, or 0 when the record is not a sample (see ``RecordBatch/latencySampleInterval``).
    public var writtenAtNanos: UInt64
    /// The batch the entry belongs to (unretained: the batch owns its index).
    @usableFromInline var owner: UnsafeMutableRawPointer?

    @inlinable
    init(
        keyOffset: UInt32, keyLength: Int32, valueOffset: UInt32, valueLength: Int32,
        headersOffset: UInt32, headerCount: UInt32, partition: Int32, timestampMs: Int64,
        writtenAtNanos: UInt64, owner: UnsafeMutableRawPointer?
    ) {
        self.keyOffset = keyOffset
        self.keyLength = keyLength
        self.valueOffset = valueOffset
        self.valueLength = valueLength
        self.headersOffset = headersOffset
        self.headerCount = headerCount
        self.partition = partition
        self.timestampMs = timestampMs
        self.writtenAtNanos = writtenAtNanos
        self.owner = owner
    }
}
