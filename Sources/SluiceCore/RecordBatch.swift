/// A batch of records laid out in one contiguous, aligned arena plus an index.
///
/// A task writes each record's bytes exactly once, straight into the arena
/// (``append(keyLength:valueLength:timestampMs:partition:fill:)``); everything after
/// that (the producer, a sink, a verifier) works on views into the arena.
///
/// Memory ownership: the batch owns its arena and index and frees them in `deinit`.
/// A ``RecordView`` or a pointer handed to librdkafka stays valid until the batch is
/// ``reset()`` (the pool does that when the batch is acquired again) or freed. The
/// pool that made a batch keeps it alive for the pool's whole life, so a batch in
/// flight in librdkafka is never freed under it.
///
/// Thread-safety rule (why `@unchecked Sendable`): a batch has one owner at a time:
/// the task filling it, then the thread producing and polling for its delivery
/// reports, then the pool. Hand-offs between owners go through ``SPSCRing`` or
/// ``BatchReturnStack``, whose release/acquire orderings publish the batch's contents.
public final class RecordBatch: @unchecked Sendable {
    /// Bytes the arena holds.
    public let arenaCapacity: Int
    /// Records the index holds.
    public let recordCapacity: Int
    @usableFromInline let arena: UnsafeMutableRawPointer
    @usableFromInline let index: UnsafeMutablePointer<RecordEntry>
    /// Records written so far.
    @inlinable public var count: Int { storedCount }
    /// Arena bytes written so far.
    @inlinable public var bytesUsed: Int { storedBytesUsed }
    // Hot fields skip the dynamic exclusivity check: a batch has one owner thread
    // at a time (see the type's rule), and the check cost more than the append.
    @usableFromInline @exclusivity(unchecked) var storedCount: Int = 0
    @usableFromInline @exclusivity(unchecked) var storedBytesUsed: Int = 0

    /// The task that filled the batch (set by the runner; informational).
    @usableFromInline package var taskID: Int32 = 0
    /// A per-task sequence number for the batch, so offsets commit in batch order.
    @usableFromInline package var batchSequence: UInt64 = 0

    /// The topic of every record in the batch, or `nil` for the producer's own topic
    /// (a transform such as RegexRouter may route records elsewhere).
    public var topic: String?

    /// The task-defined source partition the batch's records came from (for example
    /// a file's index), or -1. A task starts a new batch when the partition changes.
    public var sourcePartition: Int = -1
    /// The source offset after the batch's last record (for example a byte position),
    /// committed once every record of the batch is acknowledged.
    public var sourceOffset: Int64 = -1

    /// Delivery bookkeeping, touched only by the thread that polls the producer
    /// (package access: the producer and the runners keep it; tasks never need it).
    /// Records handed to the producer and not yet reported.
    @usableFromInline @exclusivity(unchecked) package var pendingDeliveries: Int = 0
    /// Records whose delivery failed.
    @usableFromInline @exclusivity(unchecked) package var failedDeliveries: Int = 0
    /// The first delivery error's text, if any.
    @usableFromInline package var firstDeliveryError: String?

    /// One record in this many (the first of each run of them in a batch) carries
    /// its write time in ``RecordEntry/writtenAtNanos``; the others carry 0.
    public static let latencySampleInterval = 32

    /// Intrusive link for ``BatchReturnStack`` (owned by the stack while pushed).
    @usableFromInline var nextReturned: Unmanaged<RecordBatch>?

    /// Creates a batch with an arena of `arenaBytes` (aligned to 64 bytes) and room
    /// for `maxRecords` index entries.
    public init(arenaBytes: Int, maxRecords: Int) {
        precondition(arenaBytes > 0 && maxRecords > 0, "RecordBatch needs a positive size")
        precondition(arenaBytes <= Int(UInt32.max), "RecordBatch arena is limited to 4 GiB")
        arenaCapacity = arenaBytes
        recordCapacity = maxRecords
        arena = .allocate(byteCount: arenaBytes, alignment: 64)
        index = .allocate(capacity: maxRecords)
    }

    deinit {
        arena.deallocate()
        index.deallocate()
    }

    /// Empties the batch for reuse; every view into it becomes invalid.
    @inlinable
    public func reset() {
        storedCount = 0
        storedBytesUsed = 0
        pendingDeliveries = 0
        failedDeliveries = 0
        sourcePartition = -1
        sourceOffset = -1
        topic = nil
        firstDeliveryError = nil
    }

    /// Whether no record has been written.
    @inlinable public var isEmpty: Bool { count == 0 }

    /// Arena bytes still free.
    @inlinable public var bytesFree: Int { arenaCapacity &- bytesUsed }

    /// Appends one record whose key and value are written in place by `fill`.
    ///
    /// `fill` receives the key and value regions (exactly `keyLength` and
    /// `valueLength` bytes, in the arena) and must initialise them; a negative
    /// length writes a null key or value and passes an empty region.
    ///
    /// - Returns: `false` when the batch is full (nothing written; send this batch
    ///   and write the record into the next one).
    /// - Throws: ``RecordBatchError/recordTooLarge(recordBytes:arenaBytes:)`` when the
    ///   record would not fit even in an empty batch.
    @inlinable
    public func append(
        keyLength: Int,
        valueLength: Int,
        timestampMs: Int64 = 0,
        partition: Int32 = -1,
        fill: (UnsafeMutableRawBufferPointer, UnsafeMutableRawBufferPointer) throws -> Void
    ) throws -> Bool {
        let k = Swift.max(keyLength, 0)
        let v = Swift.max(valueLength, 0)
        let size = k &+ v
        if size > arenaCapacity {
            throw RecordBatchError.recordTooLarge(recordBytes: size, arenaBytes: arenaCapacity)
        }
        if count == recordCapacity || size > arenaCapacity &- bytesUsed { return false }
        try fill(
            UnsafeMutableRawBufferPointer(start: arena + bytesUsed, count: k),
            UnsafeMutableRawBufferPointer(start: arena + (bytesUsed &+ k), count: v)
        )
        commit(keyLength: keyLength, valueLength: valueLength, timestampMs: timestampMs, partition: partition)
        return true
    }

    /// Appends one record whose key and then value `write` writes in place, one right
    /// after the other, through an ``ArenaWriter`` bounded by the arena's free space:
    /// no copy and no length to know in advance. `write` returns the lengths it wrote
    /// (-1 for a null key or value, which takes no bytes).
    ///
    /// ```swift
    /// let fitted = try batch.append { writer in
    ///     writer.append(keyBytes)
    ///     writer.append("{\"id\":")
    ///     writer.append(idText)
    ///     writer.append(UInt8(ascii: "}"))
    ///     return (keyBytes.count, writer.count - keyBytes.count)
    /// }
    /// ```
    ///
    /// - Returns: `false` when the record did not fit into the free space (nothing is
    ///   kept; write it into the next batch).
    /// - Throws: ``RecordBatchError/recordTooLarge(recordBytes:arenaBytes:)`` when it did
    ///   not fit into this batch while empty; what `write` throws (nothing is kept).
    @inlinable
    public func append(
        timestampMs: Int64 = 0, partition: Int32 = -1,
        writing write: (inout ArenaWriter) throws -> (keyLength: Int, valueLength: Int)
    ) throws -> Bool {
        guard count < recordCapacity else { return false }
        var writer = ArenaWriter(base: arena + bytesUsed, capacity: bytesFree)
        let (keyLength, valueLength) = try write(&writer)
        if writer.overflowed {
            guard isEmpty else { return false }
            throw RecordBatchError.recordTooLarge(recordBytes: writer.needed, arenaBytes: arenaCapacity)
        }
        precondition(
            Swift.max(keyLength, 0) &+ Swift.max(valueLength, 0) == writer.count,
            "append(writing:) returned lengths that are not what it wrote")
        commit(keyLength: keyLength, valueLength: valueLength, timestampMs: timestampMs, partition: partition)
        return true
    }

    /// Indexes the record whose key and value were just written at ``bytesUsed``.
    @inlinable
    func commit(keyLength: Int, valueLength: Int, timestampMs: Int64, partition: Int32) {
        let k = Swift.max(keyLength, 0)
        let v = Swift.max(valueLength, 0)
        let keyStart = bytesUsed
        let valueStart = keyStart &+ k
        (index + count).initialize(
            to: RecordEntry(
                keyOffset: UInt32(truncatingIfNeeded: keyStart),
                keyLength: keyLength < 0 ? -1 : Int32(truncatingIfNeeded: k),
                valueOffset: UInt32(truncatingIfNeeded: valueStart),
                valueLength: valueLength < 0 ? -1 : Int32(truncatingIfNeeded: v),
                headersOffset: 0,
                headerCount: 0,
                partition: partition,
                timestampMs: timestampMs,
                // One record in `latencySampleInterval` carries its write time: a
                // clock read per record would cost more than the rest of the append.
                writtenAtNanos: count & (RecordBatch.latencySampleInterval &- 1) == 0 ? MonotonicClock.nanoseconds() : 0,
                owner: Unmanaged.passUnretained(self).toOpaque()
            ))
        storedBytesUsed = valueStart &+ v
        storedCount &+= 1
    }

    /// Appends one record by copying `key` and `value` (either may be `nil` for null)
    /// and `headers` into the arena.
    ///
    /// - Returns: `false` when the batch is full.
    /// - Throws: ``RecordBatchError`` when the record can never fit.
    @discardableResult
    public func append(
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        headers: [RecordHeader] = [],
        timestampMs: Int64 = 0,
        partition: Int32 = -1
    ) throws -> Bool {
        let headerBytes = try RecordHeader.encodedSize(of: headers)
        let total = (key?.count ?? 0) + (value?.count ?? 0) + headerBytes
        if total > arenaCapacity {
            throw RecordBatchError.recordTooLarge(recordBytes: total, arenaBytes: arenaCapacity)
        }
        if count == recordCapacity || total > bytesFree { return false }
        let headersStart = bytesUsed
        RecordHeader.encode(headers, into: UnsafeMutableRawBufferPointer(start: arena + headersStart, count: headerBytes))
        storedBytesUsed &+= headerBytes
        let appended = try append(
            keyLength: key.map { $0.count } ?? -1,
            valueLength: value.map { $0.count } ?? -1,
            timestampMs: timestampMs,
            partition: partition
        ) { keyRegion, valueRegion in
            if let key, key.count > 0 { keyRegion.copyMemory(from: key) }
            if let value, value.count > 0 { valueRegion.copyMemory(from: value) }
        }
        precondition(appended, "space was checked above")
        index[count &- 1].headersOffset = UInt32(truncatingIfNeeded: headersStart)
        index[count &- 1].headerCount = UInt32(headers.count)
        return true
    }

    /// The record at `position` (`0..<count`), as a view into the arena.
    @inlinable
    public subscript(position: Int) -> RecordView {
        precondition(position >= 0 && position < count, "record index out of range")
        return RecordView(arena: UnsafeRawPointer(arena), entry: index[position])
    }

    /// A pointer to the entry at `position`, for the delivery path (valid like a view).
    @inlinable
    package func entryPointer(at position: Int) -> UnsafeMutablePointer<RecordEntry> {
        index + position
    }

    /// The arena base, for the delivery path (valid like a view).
    @inlinable
    package var arenaBase: UnsafeMutableRawPointer { arena }

    /// Calls `body` with the batch that owns the entry `pointer` points at, without
    /// retaining it (the delivery path runs this once per record).
    ///
    /// Only valid for pointers obtained from ``entryPointer(at:)`` while that batch lives.
    @inlinable
    package static func withOwner<Result>(
        of pointer: UnsafeMutablePointer<RecordEntry>, _ body: (RecordBatch) throws -> Result
    ) rethrows -> Result {
        try Unmanaged<RecordBatch>.fromOpaque(pointer.pointee.owner!)._withUnsafeGuaranteedRef(body)
    }

    /// The batch that owns the entry `pointer` points at.
    ///
    /// Only valid for pointers obtained from ``entryPointer(at:)`` while that batch lives.
    @inlinable
    package static func owner(of pointer: UnsafeMutablePointer<RecordEntry>) -> RecordBatch {
        Unmanaged<RecordBatch>.fromOpaque(pointer.pointee.owner!).takeUnretainedValue()
    }
}

extension RecordBatch {
    /// Counts `count` of the batch's records as acknowledged (the delivery path's
    /// bookkeeping, on the thread that serves reports).
    /// - Returns: whether no record of the batch is pending any more.
    @inlinable
    package func settleDelivered(_ count: Int) -> Bool {
        pendingDeliveries &-= count
        return pendingDeliveries == 0
    }

    /// Counts `count` of the batch's records as failed, keeping the first `reason`.
    /// - Returns: whether no record of the batch is pending any more.
    @inlinable
    package func settleFailed(_ count: Int, reason: @autoclosure () -> String) -> Bool {
        failedDeliveries &+= count
        if firstDeliveryError == nil { firstDeliveryError = reason() }
        pendingDeliveries &-= count
        return pendingDeliveries == 0
    }
}
