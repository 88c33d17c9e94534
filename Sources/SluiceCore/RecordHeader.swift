/// A Kafka record header: a name and an optional value.
///
/// In a ``RecordBatch`` arena headers are stored as, per header: name length
/// (UInt16 LE), name bytes, value length (Int32 LE, -1 for null), value bytes.
public struct RecordHeader: Equatable, Sendable {
    /// The header name.
    public var name: String
    /// The header value, or `nil` for a null value.
    public var value: [UInt8]?

    /// Creates a header.
    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }

    static func encodedSize(of headers: [RecordHeader]) throws -> Int {
        var size = 0
        for header in headers {
            let nameBytes = header.name.utf8.count
            if nameBytes > Int(UInt16.max) { throw RecordBatchError.headerNameTooLong(bytes: nameBytes) }
            size += 2 + nameBytes + 4 + (header.value?.count ?? 0)
        }
        return size
    }

    static func encode(_ headers: [RecordHeader], into buffer: UnsafeMutableRawBufferPointer) {
        var at = 0
        for header in headers {
            let name = Array(header.name.utf8)
            buffer.storeBytes(of: UInt16(name.count).littleEndian, toByteOffset: at, as: UInt16.self)
            at += 2
            name.withUnsafeBytes { buffer.baseAddress!.advanced(by: at).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            at += name.count
            let length = Int32(header.value.map { $0.count } ?? -1)
            buffer.storeBytes(of: length.littleEndian, toByteOffset: at, as: Int32.self)
            at += 4
            if let value = header.value, !value.isEmpty {
                value.withUnsafeBytes { buffer.baseAddress!.advanced(by: at).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                at += value.count
            }
        }
    }

    static func decode(count: Int, from start: UnsafeRawPointer) -> [RecordHeader] {
        var result: [RecordHeader] = []
        result.reserveCapacity(count)
        var at = start
        for _ in 0..<count {
            let nameLength = Int(UInt16(littleEndian: at.loadUnaligned(as: UInt16.self)))
            at += 2
            let name = String(decoding: UnsafeRawBufferPointer(start: at, count: nameLength), as: UTF8.self)
            at += nameLength
            let valueLength = Int(Int32(littleEndian: at.loadUnaligned(as: Int32.self)))
            at += 4
            var value: [UInt8]?
            if valueLength >= 0 {
                value = Array(UnsafeRawBufferPointer(start: at, count: valueLength))
                at += valueLength
            }
            result.append(RecordHeader(name: name, value: value))
        }
        return result
    }
}

extension RecordHeader {
    /// Decodes the headers of `entry` from its batch's `arena` (allocates; slow path).
    public static func headers(of entry: RecordEntry, arena: UnsafeRawPointer) -> [RecordHeader] {
        guard entry.headerCount > 0 else { return [] }
        return decode(count: Int(entry.headerCount), from: arena + Int(entry.headersOffset))
    }
}
