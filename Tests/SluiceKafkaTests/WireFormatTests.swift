import CSluiceSystem
import SluiceCore
import Testing

@testable import SluiceKafka

@Suite("Kafka wire format pieces of the native produce path")
struct WireFormatTests {
    private func crc32c(_ text: String, table: Bool = false) -> UInt32 {
        Array(text.utf8).withUnsafeBytes {
            table ? sluice_crc32c_table(0, $0.baseAddress, $0.count) : sluice_crc32c(0, $0.baseAddress, $0.count)
        }
    }

    @Test("CRC-32C matches the published check values, with and without the CPU instruction")
    func crc32cVectors() {
        // RFC 3720 (iSCSI) B.4 and the CRC catalogue's check value for "123456789".
        #expect(crc32c("123456789") == 0xE306_9283)
        #expect(crc32c("123456789", table: true) == 0xE306_9283)
        let zeros = [UInt8](repeating: 0, count: 32)
        let ones = [UInt8](repeating: 0xff, count: 32)
        let ascending = (0..<32).map { UInt8($0) }
        for (bytes, expected) in [(zeros, 0x8A91_36AA as UInt32), (ones, 0x62A8_AB43), (ascending, 0x46DD_794E)] {
            bytes.withUnsafeBytes {
                #expect(sluice_crc32c(0, $0.baseAddress, $0.count) == expected)
                #expect(sluice_crc32c_table(0, $0.baseAddress, $0.count) == expected)
            }
        }
        var generator = SystemRandomNumberGenerator()
        // Past 3 × 4096 bytes the CPU path runs three streams and joins them.
        for length in [0, 1, 7, 8, 9, 63, 64, 1000, 4097, 12_287, 12_288, 12_289, 40_000, 1 << 20] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            bytes.withUnsafeBytes {
                let whole = sluice_crc32c(0, $0.baseAddress, $0.count)
                #expect(whole == sluice_crc32c_table(0, $0.baseAddress, $0.count))
                let split = $0.count / 3
                let continued = sluice_crc32c(sluice_crc32c(0, $0.baseAddress, split), $0.baseAddress! + split, $0.count - split)
                #expect(continued == whole, "continuing a checksum gives the whole one")
            }
        }
    }

    @Test("CRC-32 (zlib) and the partitioners' hashes match their reference values")
    func hashVectors() {
        #expect(Array("123456789".utf8).withUnsafeBytes { sluice_crc32_ieee(0, $0.baseAddress, $0.count) } == 0xCBF4_3926)
        // librdkafka's rdmurmur2.c unit test values (Java-compatible MurmurHash2).
        #expect(Array("kafka".utf8).withUnsafeBytes { Partitioner.murmur2($0) } == 0xD067_CF64)
        #expect(Partitioner.murmur2(UnsafeRawBufferPointer(start: nil, count: 0)) == 0x106E_08D9)
        // FNV-1a 32 reference: "a" → 0xe40c292c (negative as Int32, so negated).
        let a = Array("a".utf8).withUnsafeBytes { Partitioner.fnv1aMagnitude($0) }
        #expect(a == UInt32(bitPattern: 0 &- Int32(bitPattern: 0xE40C_292C)))
    }

    @Test("varints: sizes and bytes as Kafka writes them, read back")
    func varints() {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 1)
        defer { buffer.deallocate() }
        for (value, bytes) in [(Int64(0), [0x00]), (-1, [0x01]), (1, [0x02]), (63, [0x7e]), (-64, [0x7f]), (64, [0x80, 0x01]), (300, [0xd8, 0x04])] {
            let end = VarInt.write(zigzag: value, at: buffer)
            let written = Array(UnsafeRawBufferPointer(start: buffer, count: end - buffer))
            #expect(written == bytes.map { UInt8($0) }, "value \(value)")
            #expect(VarInt.size(zigzag: value) == bytes.count)
            var offset = 0
            #expect(VarInt.read(UnsafeRawBufferPointer(start: buffer, count: 16), at: &offset) == value)
        }
        for value in [Int64.max, Int64.min, Int64(Int32.max), Int64(Int32.min)] {
            let end = VarInt.write(zigzag: value, at: buffer)
            #expect(end - buffer == VarInt.size(zigzag: value))
            var offset = 0
            #expect(VarInt.read(UnsafeRawBufferPointer(start: buffer, count: 16), at: &offset) == value)
        }
    }

    @Test("a sealed batch has Kafka's v2 header, a valid CRC-32C and records that decode to what was written")
    func batchLayout() throws {
        let task = RecordBatch(arenaBytes: 4096, maxRecords: 8)
        _ = try Array("k1".utf8).withUnsafeBytes { key in
            try Array("value-one".utf8).withUnsafeBytes { value in
                try task.append(key: key, value: value, headers: [RecordHeader(name: "h", value: [1, 2])], timestampMs: 1000)
            }
        }
        _ = try Array("v2".utf8).withUnsafeBytes { try task.append(key: nil, value: $0, timestampMs: 1005) }
        let wire = WireRecordBatch(limit: 10_000)
        wire.reset(topic: 0, partition: 3)
        for index in 0..<task.count {
            #expect(try wire.append(task.entryPointer(at: index), arena: UnsafeRawPointer(task.arenaBase), timestampMs: task.entryPointer(at: index).pointee.timestampMs, nowNanos: 1))
        }
        try wire.seal(producerID: 77, epoch: 2, baseSequence: 40, compressor: WireCompressor(codec: .none, level: -1))
        let bytes = wire.bytes
        func int64(_ at: Int) -> Int64 { Int64(bigEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int64.self)) }
        func int32(_ at: Int) -> Int32 { Int32(bigEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int32.self)) }
        #expect(Int(int32(8)) == bytes.count - 12, "batch length counts the bytes after it")
        #expect(bytes[16] == 2, "magic v2")
        let crc = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 17, as: UInt32.self))
        #expect(crc == sluice_crc32c(0, bytes.baseAddress! + 21, bytes.count - 21))
        #expect(int32(23) == 1, "last offset delta")
        #expect(int64(27) == 1000 && int64(35) == 1005, "first and max timestamps")
        #expect(int64(43) == 77)
        #expect(int32(53) == 40 && int32(57) == 2)
        // The records section: length, attributes, timestamp delta, offset delta, key, value, headers.
        let records = UnsafeRawBufferPointer(rebasing: bytes[61...])
        var at = 0
        var decoded: [(Int64, Int64, [UInt8]?, [UInt8]?, Int64)] = []
        for _ in 0..<2 {
            let length = try #require(VarInt.read(records, at: &at))
            let end = at + Int(length)
            at += 1
            let tsDelta = try #require(VarInt.read(records, at: &at))
            let offsetDelta = try #require(VarInt.read(records, at: &at))
            func field() throws -> [UInt8]? {
                let n = try #require(VarInt.read(records, at: &at))
                guard n >= 0 else { return nil }
                defer { at += Int(n) }
                return Array(records[at..<at + Int(n)])
            }
            let key = try field()
            let value = try field()
            let headerCount = try #require(VarInt.read(records, at: &at))
            decoded.append((tsDelta, offsetDelta, key, value, headerCount))
            at = end
        }
        #expect(at == records.count)
        #expect(decoded[0].0 == 0 && decoded[1].0 == 5)
        #expect(decoded[0].1 == 0 && decoded[1].1 == 1)
        #expect(decoded[0].2 == Array("k1".utf8) && decoded[1].2 == nil)
        #expect(decoded[0].3 == Array("value-one".utf8) && decoded[1].3 == Array("v2".utf8))
        #expect(decoded[0].4 == 1 && decoded[1].4 == 0)
        // Restamping rewrites identity and checksum only.
        wire.restamp(producerID: 78, epoch: 0, baseSequence: 0)
        #expect(int64(43) == 78 && int32(53) == 0)
        #expect(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 17, as: UInt32.self)) == sluice_crc32c(0, bytes.baseAddress! + 21, bytes.count - 21))
    }

    @Test("a full batch refuses the next record; a record larger than an empty batch is an error naming batch.size")
    func batchLimits() throws {
        let task = RecordBatch(arenaBytes: 8192, maxRecords: 64)
        for _ in 0..<40 { _ = try task.append(keyLength: -1, valueLength: 100) { _, v in v.initializeMemory(as: UInt8.self, repeating: 7) } }
        let wire = WireRecordBatch(limit: 1000)
        wire.reset(topic: 0, partition: 0)
        var appended = 0
        while try wire.append(task.entryPointer(at: appended), arena: UnsafeRawPointer(task.arenaBase), timestampMs: 1, nowNanos: 1) {
            appended += 1
        }
        #expect(appended == 8, "61 header bytes + 8 records of 108 bytes fit in 1000")
        let big = RecordBatch(arenaBytes: 4096, maxRecords: 1)
        _ = try big.append(keyLength: -1, valueLength: 2000) { _, _ in }
        let small = WireRecordBatch(limit: 1000)
        small.reset(topic: 0, partition: 0)
        #expect(throws: NativeProducerError.self) {
            _ = try small.append(big.entryPointer(at: 0), arena: UnsafeRawPointer(big.arenaBase), timestampMs: 1, nowNanos: 1)
        }
    }

    @Test("partitioner names: librdkafka's, with a clear error for others")
    func partitionerNames() throws {
        #expect(try Partitioner(named: "murmur2_random") == .murmur2Random)
        #expect(Partitioner.default == .consistentRandom)
        #expect(throws: NativeProducerError.self) { try Partitioner(named: "round_robin") }
        do {
            _ = try Partitioner(named: "round_robin")
        } catch {
            #expect("\(error)".contains("consistent_random"))
        }
    }
}
