import CRdKafka
import SluiceCore

/// The `rd_kafka_message_t` array one ``Producer`` hands to `rd_kafka_produce_batch`.
///
/// `rd_kafka_produce_batch` takes an array of message descriptors, reads each one's
/// payload, key, partition and opaque, and writes each one's result into its `err`.
/// Calling it once for a run of records instead of `rd_kafka_produce` once per record
/// saves librdkafka's per-call work: the topic lock, the two clock reads
/// (`rd_clock`, `rd_uclock`) and the produce-permission check are done once per call.
///
/// Ownership rule: the scratch allocates its array once, at ``capacity`` entries, and
/// frees it in `deinit`. Only the producing thread touches it (the ``Producer``'s
/// rule), and librdkafka reads it only during the call: after
/// `rd_kafka_produce_batch` returns, the descriptors may be overwritten. The pointers
/// written into it are views into a ``RecordBatch`` arena and the batch's
/// ``RecordEntry`` (as the message opaque), valid while the batch is in flight.
final class ProduceCallScratch {
    /// Descriptors per call at most.
    let capacity: Int
    let messages: UnsafeMutablePointer<rd_kafka_message_t>

    init(capacity: Int) {
        precondition(capacity > 0, "a produce call needs room for one record")
        self.capacity = capacity
        messages = .allocate(capacity: capacity)
        messages.initialize(repeating: rd_kafka_message_t(), count: capacity)
    }

    deinit {
        messages.deinitialize(count: capacity)
        messages.deallocate()
    }

    /// Whether the record can go through `rd_kafka_produce_batch`, which carries
    /// neither headers nor an explicit timestamp.
    @inline(__always)
    static func isPlain(_ entry: UnsafeMutablePointer<RecordEntry>) -> Bool {
        entry.pointee.headerCount == 0 && entry.pointee.timestampMs == 0
    }

    /// Whether librdkafka's partitioner must hash the record's key to place it: a
    /// keyed record without an explicit partition.
    @inline(__always)
    static func isHashedByKey(_ entry: UnsafeMutablePointer<RecordEntry>) -> Bool {
        entry.pointee.keyLength >= 0 && entry.pointee.partition < 0
    }

    /// Fills descriptors for the plain records of `batch` from `start` on, stopping at
    /// the first record that is not plain (or, with `excludingHashed`, that
    /// ``isHashedByKey(_:)``), at the batch's end or at `limit` records (at most
    /// ``capacity``).
    /// - Returns: the number of descriptors filled (at least 1 when the record at
    ///   `start` is plain).
    @inline(__always)
    func fill(from batch: RecordBatch, start: Int, limit: Int, excludingHashed: Bool = false) -> Int {
        let arena = batch.arenaBase
        let end = Swift.min(batch.count, start + Swift.min(limit, capacity))
        var position = start
        while position < end {
            let entry = batch.entryPointer(at: position)
            guard Self.isPlain(entry), !(excludingHashed && Self.isHashedByKey(entry)) else { break }
            let message = messages + (position - start)
            message.pointee.err = RD_KAFKA_RESP_ERR_NO_ERROR
            message.pointee.partition = entry.pointee.partition
            let valueLength = entry.pointee.valueLength
            message.pointee.payload = valueLength < 0 ? nil : arena + Int(entry.pointee.valueOffset)
            message.pointee.len = valueLength < 0 ? 0 : Int(valueLength)
            let keyLength = entry.pointee.keyLength
            message.pointee.key = keyLength < 0 ? nil : arena + Int(entry.pointee.keyOffset)
            message.pointee.key_len = keyLength < 0 ? 0 : Int(keyLength)
            message.pointee._private = UnsafeMutableRawPointer(entry)
            position += 1
        }
        return position - start
    }

    /// The result librdkafka wrote for descriptor `index` of the last call.
    @inline(__always)
    func error(at index: Int) -> rd_kafka_resp_err_t { messages[index].err }
}
