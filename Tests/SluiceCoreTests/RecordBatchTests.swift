import SluiceCore
import Testing

@Suite("RecordBatch")
struct RecordBatchTests {
    @Test("records written in place read back through views")
    func appendAndRead() throws {
        let batch = RecordBatch(arenaBytes: 1024, maxRecords: 16)
        let ok = try batch.append(keyLength: 3, valueLength: 5) { key, value in
            key.copyBytes(from: Array("abc".utf8))
            value.copyBytes(from: Array("hello".utf8))
        }
        #expect(ok)
        #expect(try batch.append(keyLength: -1, valueLength: -1) { _, _ in })
        #expect(batch.count == 2)
        #expect(batch.bytesUsed == 8)
        #expect(batch[0].key.map { Array($0) } == Array("abc".utf8))
        #expect(batch[0].value.map { Array($0) } == Array("hello".utf8))
        #expect(batch[1].key == nil)
        #expect(batch[1].value == nil)
    }

    @Test("a full batch refuses without writing; reset empties it")
    func fullAndReset() throws {
        let batch = RecordBatch(arenaBytes: 100, maxRecords: 2)
        #expect(try batch.append(keyLength: 0, valueLength: 60) { _, _ in })
        let second = try batch.append(keyLength: 0, valueLength: 60) { _, _ in }
        #expect(!second)
        #expect(batch.count == 1)
        #expect(try batch.append(keyLength: 0, valueLength: 10) { _, _ in })
        let third = try batch.append(keyLength: 0, valueLength: 1) { _, _ in }
        #expect(!third)  // the index is full
        batch.reset()
        #expect(batch.isEmpty && batch.bytesUsed == 0)
    }

    @Test("a record larger than the arena is an error, not a full batch")
    func tooLarge() {
        let batch = RecordBatch(arenaBytes: 64, maxRecords: 4)
        #expect(throws: RecordBatchError.recordTooLarge(recordBytes: 70, arenaBytes: 64)) {
            try batch.append(keyLength: 10, valueLength: 60) { _, _ in }
        }
        #expect("\(RecordBatchError.recordTooLarge(recordBytes: 70, arenaBytes: 64))".contains("does not fit in a batch arena of 64 bytes"))
    }

    @Test("a record written through an ArenaWriter is kept only when all of it fit")
    func appendWriting() throws {
        let batch = RecordBatch(arenaBytes: 32, maxRecords: 4)
        let kept = try batch.append(timestampMs: 7, partition: 2) { writer in
            writer.append("k")
            writer.append("{\"a\":")
            ASCIIDecimal.append(-42, to: &writer)
            writer.append(UInt8(ascii: "}"))
            return (1, writer.count - 1)
        }
        #expect(kept && batch.count == 1 && batch.bytesUsed == 10)
        #expect(batch[0].key.map { Array($0) } == Array("k".utf8))
        #expect(batch[0].value.map { Array($0) } == Array(#"{"a":-42}"#.utf8))
        #expect(batch[0].entry.timestampMs == 7 && batch[0].entry.partition == 2)

        // 22 bytes free: a 30-byte record is refused and leaves nothing behind.
        let refused = try batch.append { writer in
            writer.append("0123456789")
            writer.append("0123456789")
            writer.append("0123456789")
            #expect(writer.overflowed && writer.count == 20 && writer.needed == 30)
            return (-1, writer.count)
        }
        #expect(!refused && batch.count == 1 && batch.bytesUsed == 10)
        // A null key and a null value take no bytes.
        #expect(try batch.append { _ in (-1, -1) })
        #expect(batch[1].key == nil && batch[1].value == nil && batch.bytesUsed == 10)

        // Too large for an empty batch: an error naming what it needed.
        batch.reset()
        #expect(throws: RecordBatchError.recordTooLarge(recordBytes: 40, arenaBytes: 32)) {
            try batch.append { writer in
                for _ in 0..<4 { writer.append("0123456789") }
                return (-1, writer.count)
            }
        }
        #expect(batch.isEmpty)
    }

    @Test("headers, timestamps and partitions are kept with the record")
    func headers() throws {
        let batch = RecordBatch(arenaBytes: 1024, maxRecords: 4)
        let headers = [RecordHeader(name: "trace", value: Array("t-1".utf8)), RecordHeader(name: "empty", value: nil)]
        let key = Array("k".utf8)
        let value = Array("v".utf8)
        let appended = try key.withUnsafeBytes { k in
            try value.withUnsafeBytes { v in
                try batch.append(key: k, value: v, headers: headers, timestampMs: 1234, partition: 2)
            }
        }
        #expect(appended)
        #expect(batch[0].headers == headers)
        #expect(batch[0].entry.timestampMs == 1234)
        #expect(batch[0].entry.partition == 2)
        #expect(batch[0].value.map { Array($0) } == value)
    }

    @Test("entry pointers lead back to their batch")
    func owner() throws {
        let batch = RecordBatch(arenaBytes: 64, maxRecords: 4)
        _ = try batch.append(keyLength: 0, valueLength: 1) { _, v in v[0] = 7 }
        let found = RecordBatch.withOwner(of: batch.entryPointer(at: 0)) { $0 }
        #expect(found === batch)
    }
}
