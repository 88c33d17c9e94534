import SluiceKafka

/// A partition's log as the broker holds it: its record batches, read with Fetch v4
/// straight from the partition's leader, so that a test sees what a consumer hides,
/// each batch's producer id, epoch and base sequence. Uncompressed batches only.
struct PartitionLog {
    /// One record batch (magic 2).
    struct Batch: Equatable {
        let baseOffset: Int64
        let producerID: Int64
        let epoch: Int16
        let baseSequence: Int32
        /// The batch's record values, in order (nil for a null value).
        let values: [[UInt8]?]
    }

    enum Failure: Error, CustomStringConvertible {
        case noLeader(topic: String, partition: Int32)
        case fetch(code: Int16)
        case unsupported(String)

        var description: String {
            switch self {
            case .noLeader(let topic, let partition): "no leader for \(topic)-\(partition)"
            case .fetch(let code): "Fetch answered error \(code)"
            case .unsupported(let what): "cannot read this batch: \(what)"
            }
        }
    }

    /// Every batch of `topic`-`partition` from offset 0 to the high watermark the
    /// first answer gives.
    static func read(topic: String, partition: Int32, bootstrap: String) throws -> [Batch] {
        let first = String(bootstrap.split(separator: ",").first ?? "")
        let metadata = try ControlPlaneClient.metadata(BrokerConnection(address: first, timeoutMs: 10_000), topics: [topic])
        guard let described = metadata.topics.first(where: { $0.name == topic }), Int(partition) < described.leaders.count,
            let leader = metadata.brokers.first(where: { $0.id == described.leaders[Int(partition)] })
        else { throw Failure.noLeader(topic: topic, partition: partition) }
        let connection = try BrokerConnection(address: leader.address, timeoutMs: 10_000)
        var batches: [Batch] = []
        var offset: Int64 = 0
        var highWatermark = Int64.max
        while offset < highWatermark {
            let (records, high) = try fetch(connection, topic: topic, partition: partition, offset: offset)
            highWatermark = high
            let got = try parse(records)
            guard let last = got.last else { break }
            batches += got
            offset = last.baseOffset + Int64(last.values.count)
        }
        return batches
    }

    private static func fetch(_ connection: BrokerConnection, topic: String, partition: Int32, offset: Int64) throws -> ([UInt8], Int64) {
        var body = WireWriter()
        body.int32(-1)  // replica id
        body.int32(0)  // max wait
        body.int32(1)  // min bytes
        body.int32(8 << 20)  // max bytes
        body.int8(0)  // isolation: read uncommitted
        body.array([topic]) { writer, name in
            writer.string(name)
            writer.array([partition]) { p, index in
                p.int32(index)
                p.int64(offset)
                p.int32(4 << 20)
            }
        }
        var reader = try connection.send(apiKey: 1, version: 4, body: body)
        _ = try reader.int32()  // throttle
        var answer: ([UInt8], Int64)?
        let topics = try reader.array { t -> Void in
            _ = try t.string()
            _ = try t.array { p -> Void in
                _ = try p.int32()
                let error = try p.int16()
                let high = try p.int64()
                _ = try p.int64()  // last stable offset
                _ = try p.array { a in (try a.int64(), try a.int64()) }  // aborted transactions
                let records = try p.data()
                guard error == 0 else { throw Failure.fetch(code: error) }
                answer = (records, high)
            }
        }
        guard topics.count == 1, let answer else { throw Failure.unsupported("an answer without the partition") }
        return answer
    }

    /// The whole batches in `records`; a batch cut at the end of the answer is left for the next fetch.
    private static func parse(_ records: [UInt8]) throws -> [Batch] {
        var batches: [Batch] = []
        var at = 0
        while records.count - at >= 12 {
            var header = WireReader(Array(records[at..<min(records.count, at + 61)]))
            let baseOffset = try header.int64()
            let length = Int(try header.int32())
            guard records.count - at - 12 >= length, length >= 49 else { break }
            _ = try header.int32()  // partition leader epoch
            guard try header.int8() == 2 else { throw Failure.unsupported("magic other than 2") }
            _ = try header.int32()  // crc
            let attributes = try header.int16()
            guard attributes & 0x7 == 0 else { throw Failure.unsupported("compressed batch") }
            _ = try header.int32()  // last offset delta
            _ = try header.int64()  // first timestamp
            _ = try header.int64()  // max timestamp
            let producerID = try header.int64()
            let epoch = try header.int16()
            let baseSequence = try header.int32()
            let count = Int(try header.int32())
            let values = try records[(at + 61)..<(at + 12 + length)].withUnsafeBytes { try Self.values(in: $0, count: count) }
            batches.append(Batch(baseOffset: baseOffset, producerID: producerID, epoch: epoch, baseSequence: baseSequence, values: values))
            at += 12 + length
        }
        return batches
    }

    private static func values(in bytes: UnsafeRawBufferPointer, count: Int) throws -> [[UInt8]?] {
        var at = 0
        var values: [[UInt8]?] = []
        func varint() throws -> Int64 {
            guard let value = VarInt.read(bytes, at: &at) else { throw Failure.unsupported("a malformed varint") }
            return value
        }
        for _ in 0..<count {
            let length = Int(try varint())
            let end = at + length
            at += 1  // attributes
            _ = try varint()  // timestamp delta
            _ = try varint()  // offset delta
            let keyLength = Int(try varint())
            at += max(keyLength, 0)
            let valueLength = Int(try varint())
            guard valueLength < 0 || at + valueLength <= bytes.count else { throw Failure.unsupported("a value past the batch") }
            values.append(valueLength < 0 ? nil : Array(bytes[at..<at + valueLength]))
            at = end
        }
        return values
    }
}

/// What a Kafka broker's idempotence check makes of a partition's batches: a batch
/// is appended when its base sequence follows the producer's last one, and dropped
/// as a duplicate when it repeats one of the producer's last five batches exactly.
/// The embedded cluster checks sequences only for transactional producers, so it
/// keeps such resends; a test applies the check itself to see what Kafka would hold.
struct IdempotentLog {
    /// The values Kafka would hold, in log order.
    private(set) var values: [[UInt8]?] = []
    /// Batches dropped as exact resends.
    private(set) var resends = 0
    /// Batches Kafka would refuse (a sequence gap or a batch out of order), described.
    private(set) var refused: [String] = []

    init(_ batches: [PartitionLog.Batch]) {
        var appended: [Int64: [PartitionLog.Batch]] = [:]
        for batch in batches {
            let previous = appended[batch.producerID] ?? []
            let expected = previous.last.map { $0.baseSequence + Int32($0.values.count) } ?? 0
            if batch.baseSequence == expected && batch.epoch == (previous.last?.epoch ?? batch.epoch) {
                appended[batch.producerID, default: []].append(batch)
                values += batch.values
            } else if previous.suffix(5).contains(where: {
                $0.epoch == batch.epoch && $0.baseSequence == batch.baseSequence && $0.values == batch.values
            }) {
                resends += 1
            } else {
                refused.append("offset \(batch.baseOffset): producer \(batch.producerID) sequence \(batch.baseSequence), expected \(expected)")
            }
        }
    }
}
