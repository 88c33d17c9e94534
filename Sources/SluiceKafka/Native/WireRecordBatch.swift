import CSluiceSystem
import SluiceCore

/// One Kafka record batch (magic v2) for one partition, written record by record in
/// Kafka's wire format and sent as it is.
///
/// Layout of ``bytes`` once sealed: the 61-byte batch header (base offset, length,
/// leader epoch, magic, CRC-32C, attributes, last offset delta, first and max
/// timestamps, producer id and epoch, base sequence, record count), then the records
/// section, compressed when a codec is set. Records are appended uncompressed into
/// ``storage`` after a reserved header; sealing writes the header in place (codec
/// `none`: no copy at all) or compresses the records section into ``compressed``.
///
/// Ownership rule: the batch owns both buffers and frees them in `deinit`; the
/// ``NativeProducer`` that made it is its only user (one thread), and reuses it for
/// later batches (``reset(topic:partition:)``) so that the steady state allocates
/// nothing.
package final class WireRecordBatch {
    // Hot fields skip the dynamic exclusivity check (the batch has one user
    // thread, see the ownership rule); the checks cost more than the appends.
    /// Bytes of the v2 batch header.
    package static let headerBytes = 61
    /// Which partition the batch is for (an index into the producer's topic table).
    package private(set) var topic: Int = 0
    /// The partition.
    package private(set) var partition: Int32 = 0
    /// Records appended.
    @exclusivity(unchecked) package private(set) var recordCount: Int32 = 0
    /// Bytes appended so far, header reserve included (the uncompressed size).
    @exclusivity(unchecked) package private(set) var used = WireRecordBatch.headerBytes
    /// The producer id, epoch and first sequence the batch was sealed with.
    package private(set) var producerID: Int64 = -1
    package private(set) var producerEpoch: Int16 = -1
    package private(set) var baseSequence: Int32 = -1
    /// The RecordBatches whose records this batch holds, with how many of each, in
    /// order (a task batch's records may spread over several wire batches).
    @exclusivity(unchecked) package var sources: [(batch: Unmanaged<RecordBatch>, records: Int)] = []
    /// The write time of the first sampled record, for latency (0: none).
    @exclusivity(unchecked) package var sampleWrittenAtNanos: UInt64 = 0
    /// When the first record was appended (linger and delivery timeout).
    @exclusivity(unchecked) package private(set) var openedAtNanos: UInt64 = 0
    /// Key and value bytes appended (for delivery statistics).
    @exclusivity(unchecked) package private(set) var payloadBytes = 0
    /// Whether the batch is in a request that awaits its answer.
    package var inFlight = false
    /// Sends so far (0 until the first).
    package var attempts = 0
    /// When the batch may next be sent (retry backoff), in monotonic nanoseconds.
    package var notBeforeNanos: UInt64 = 0

    @exclusivity(unchecked) private var storage: UnsafeMutableRawPointer
    @exclusivity(unchecked) private var capacity: Int
    private let limit: Int
    private var compressed: UnsafeMutableRawPointer?
    private var compressedCapacity = 0
    private var sealedLength = 0
    private var sealedFromCompressed = false
    @exclusivity(unchecked) private var baseTimestamp: Int64 = 0
    @exclusivity(unchecked) private var maxTimestamp: Int64 = 0

    /// A batch that holds at most `limit` bytes (`batch.size`), header included.
    package init(limit: Int) {
        self.limit = max(limit, Self.headerBytes + 32)
        capacity = min(self.limit, 64 << 10)
        storage = .allocate(byteCount: capacity, alignment: 64)
    }

    deinit {
        storage.deallocate()
        compressed?.deallocate()
    }

    /// Empties the batch for reuse, for `topic`'s `partition`.
    package func reset(topic: Int, partition: Int32) {
        self.topic = topic
        self.partition = partition
        recordCount = 0
        used = Self.headerBytes
        producerID = -1
        producerEpoch = -1
        baseSequence = -1
        sources.removeAll(keepingCapacity: true)
        sampleWrittenAtNanos = 0
        openedAtNanos = 0
        attempts = 0
        payloadBytes = 0
        inFlight = false
        notBeforeNanos = 0
        sealedLength = 0
    }

    /// Whether nothing was appended.
    package var isEmpty: Bool { recordCount == 0 }

    /// The bytes of one record in Kafka's v2 record format.
    @inline(__always)
    package static func recordBytes(
        timestampDelta: Int64, offsetDelta: Int32, keyLength: Int32, valueLength: Int32,
        headerCount: Int, headerBytes: Int
    ) -> (body: Int, total: Int) {
        let body =
            1 + VarInt.size(zigzag: timestampDelta) + VarInt.size(zigzag: Int64(offsetDelta))
            + VarInt.size(zigzag: Int64(keyLength)) + Int(max(keyLength, 0))
            + VarInt.size(zigzag: Int64(valueLength)) + Int(max(valueLength, 0))
            + VarInt.size(zigzag: Int64(headerCount)) + headerBytes
        return (body, VarInt.size(zigzag: Int64(body)) + body)
    }

    /// Appends the record `entry` describes (its bytes in `arena`), stamped
    /// `timestampMs`.
    /// - Returns: false when the batch is full (nothing written); a record that
    ///   does not fit even an empty batch throws.
    /// - Throws: ``NativeProducerError/recordTooLarge(topic:bytes:limit:setting:)``
    ///   (with an empty topic name the caller fills in).
    @inline(__always)
    package func append(_ entry: UnsafePointer<RecordEntry>, arena: UnsafeRawPointer, timestampMs: Int64, nowNanos: UInt64) throws -> Bool {
        if recordCount == 0 {
            baseTimestamp = timestampMs
            maxTimestamp = timestampMs
            openedAtNanos = nowNanos
        }
        let headerBytes = entry.pointee.headerCount == 0 ? 0 : Self.kafkaHeaderBytes(entry.pointee, arena: arena)
        let size = Self.recordBytes(
            timestampDelta: timestampMs &- baseTimestamp, offsetDelta: recordCount,
            keyLength: entry.pointee.keyLength, valueLength: entry.pointee.valueLength,
            headerCount: Int(entry.pointee.headerCount), headerBytes: headerBytes)
        if used &+ size.total > capacity {
            if used &+ size.total > limit {
                if recordCount == 0 {
                    throw NativeProducerError.recordTooLarge(
                        topic: "", bytes: Self.headerBytes + size.total, limit: limit, setting: "batch.size")
                }
                return false
            }
            grow(to: used &+ size.total)
        }
        var at = storage + used
        at = VarInt.write(zigzag: Int64(size.body), at: at)
        at.storeBytes(of: 0, as: UInt8.self)
        at += 1
        at = VarInt.write(zigzag: timestampMs &- baseTimestamp, at: at)
        at = VarInt.write(zigzag: Int64(recordCount), at: at)
        at = Self.writeBytes(length: entry.pointee.keyLength, from: arena + Int(entry.pointee.keyOffset), at: at)
        at = Self.writeBytes(length: entry.pointee.valueLength, from: arena + Int(entry.pointee.valueOffset), at: at)
        at = VarInt.write(zigzag: Int64(entry.pointee.headerCount), at: at)
        if entry.pointee.headerCount > 0 {
            at = Self.writeHeaders(entry.pointee, arena: arena, at: at)
        }
        used &+= size.total
        payloadBytes &+= Int(max(entry.pointee.keyLength, 0)) &+ Int(max(entry.pointee.valueLength, 0))
        if timestampMs > maxTimestamp { maxTimestamp = timestampMs }
        if sampleWrittenAtNanos == 0 { sampleWrittenAtNanos = entry.pointee.writtenAtNanos }
        recordCount &+= 1
        return true
    }

    @inline(__always)
    private static func writeBytes(length: Int32, from source: UnsafeRawPointer, at: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        let next = VarInt.write(zigzag: Int64(length), at: at)
        guard length > 0 else { return next }
        next.copyMemory(from: source, byteCount: Int(length))
        return next + Int(length)
    }

    /// Kafka's encoding of an entry's headers: per header a varint name length, the
    /// name, a varint value length (-1: null) and the value. The arena keeps them as
    /// UInt16/Int32 little-endian lengths (``RecordHeader``).
    private static func kafkaHeaderBytes(_ entry: RecordEntry, arena: UnsafeRawPointer) -> Int {
        var at = arena + Int(entry.headersOffset)
        var total = 0
        for _ in 0..<entry.headerCount {
            let name = Int(UInt16(littleEndian: at.loadUnaligned(as: UInt16.self)))
            at += 2 + name
            let value = Int32(littleEndian: at.loadUnaligned(as: Int32.self))
            at += 4 + Int(max(value, 0))
            total += VarInt.size(zigzag: Int64(name)) + name + VarInt.size(zigzag: Int64(value)) + Int(max(value, 0))
        }
        return total
    }

    private static func writeHeaders(_ entry: RecordEntry, arena: UnsafeRawPointer, at start: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        var from = arena + Int(entry.headersOffset)
        var at = start
        for _ in 0..<entry.headerCount {
            let name = Int32(UInt16(littleEndian: from.loadUnaligned(as: UInt16.self)))
            at = writeBytes(length: name, from: from + 2, at: at)
            from += 2 + Int(name)
            let value = Int32(littleEndian: from.loadUnaligned(as: Int32.self))
            at = writeBytes(length: value, from: from + 4, at: at)
            from += 4 + Int(max(value, 0))
        }
        return at
    }

    private func grow(to needed: Int) {
        var next = capacity
        while next < needed { next *= 2 }
        next = min(next, limit)
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: next, alignment: 64)
        bigger.copyMemory(from: storage, byteCount: used)
        storage.deallocate()
        storage = bigger
        capacity = next
    }

    /// Writes the header (compressing the records section first when `compressor`
    /// is not `none`) and the checksum; ``bytes`` is then the batch to send.
    package func seal(producerID: Int64, epoch: Int16, baseSequence: Int32, compressor: WireCompressor) throws {
        if compressor.codec == .none {
            sealedFromCompressed = false
            sealedLength = used
        } else {
            let records = used - Self.headerBytes
            let bound = Self.headerBytes + compressor.bound(records)
            if compressedCapacity < bound {
                compressed?.deallocate()
                compressed = .allocate(byteCount: bound, alignment: 64)
                compressedCapacity = bound
            }
            let written = try compressor.compress(
                UnsafeRawBufferPointer(start: storage + Self.headerBytes, count: records),
                into: UnsafeMutableRawBufferPointer(start: compressed! + Self.headerBytes, count: bound - Self.headerBytes))
            sealedFromCompressed = true
            sealedLength = Self.headerBytes + written
        }
        let base = sealedFromCompressed ? compressed! : storage
        base.storeBytes(of: Int64(0).bigEndian, toByteOffset: 0, as: Int64.self)
        base.storeBytes(of: Int32(sealedLength - 12).bigEndian, toByteOffset: 8, as: Int32.self)
        base.storeBytes(of: Int32(-1).bigEndian, toByteOffset: 12, as: Int32.self)
        base.storeBytes(of: UInt8(2), toByteOffset: 16, as: UInt8.self)
        base.storeBytes(of: compressor.codec.rawValue.bigEndian, toByteOffset: 21, as: Int16.self)
        base.storeBytes(of: (recordCount - 1).bigEndian, toByteOffset: 23, as: Int32.self)
        base.storeBytes(of: baseTimestamp.bigEndian, toByteOffset: 27, as: Int64.self)
        base.storeBytes(of: maxTimestamp.bigEndian, toByteOffset: 35, as: Int64.self)
        base.storeBytes(of: recordCount.bigEndian, toByteOffset: 57, as: Int32.self)
        restamp(producerID: producerID, epoch: epoch, baseSequence: baseSequence)
    }

    /// Rewrites the producer id, epoch and base sequence of a sealed batch (after a
    /// new producer id) and its checksum; the records are not touched.
    package func restamp(producerID: Int64, epoch: Int16, baseSequence: Int32) {
        self.producerID = producerID
        producerEpoch = epoch
        self.baseSequence = baseSequence
        let base = sealedFromCompressed ? compressed! : storage
        base.storeBytes(of: producerID.bigEndian, toByteOffset: 43, as: Int64.self)
        base.storeBytes(of: epoch.bigEndian, toByteOffset: 51, as: Int16.self)
        base.storeBytes(of: baseSequence.bigEndian, toByteOffset: 53, as: Int32.self)
        let crc = sluice_crc32c(0, base + 21, sealedLength - 21)
        base.storeBytes(of: crc.bigEndian, toByteOffset: 17, as: UInt32.self)
    }

    /// Whether ``seal(producerID:epoch:baseSequence:compressor:)`` ran since the last reset.
    package var isSealed: Bool { sealedLength > 0 }

    /// The sealed batch (valid until the next reset or seal).
    package var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: sealedFromCompressed ? compressed! : storage, count: sealedLength)
    }
}

/// Kafka's zigzag variable-length integers (protobuf's encoding).
package enum VarInt {
    /// Bytes `value` takes zigzag-encoded.
    @inline(__always)
    package static func size(zigzag value: Int64) -> Int {
        let encoded = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        let bits = 64 - (encoded | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// Writes `value` zigzag-encoded at `at`; returns the position after it.
    @inline(__always)
    package static func write(zigzag value: Int64, at: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        var encoded = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        var at = at
        while encoded >= 0x80 {
            at.storeBytes(of: UInt8(truncatingIfNeeded: encoded) | 0x80, as: UInt8.self)
            at += 1
            encoded >>= 7
        }
        at.storeBytes(of: UInt8(encoded), as: UInt8.self)
        return at + 1
    }

    /// Reads a zigzag varint from `bytes` at `offset`, advancing it; nil when malformed.
    package static func read(_ bytes: UnsafeRawBufferPointer, at offset: inout Int) -> Int64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1) }
            shift += 7
        }
        return nil
    }
}
