/// Reads a Kafka protocol response body; every read checks the bounds and throws
/// ``ProtocolError/malformed(_:)`` past the end instead of trapping.
public struct WireReader: Sendable {
    private let bytes: [UInt8]
    /// The next position to read.
    public private(set) var position = 0

    /// A reader over `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Bytes left to read.
    public var remaining: Int { bytes.count - position }

    /// Reads an `INT8`.
    public mutating func int8() throws -> Int8 { Int8(bitPattern: try take(1).first!) }
    /// Reads a `BOOLEAN`.
    public mutating func bool() throws -> Bool { try take(1).first! != 0 }
    /// Reads an `INT16`.
    public mutating func int16() throws -> Int16 { Int16(bitPattern: try integer(UInt16.self)) }
    /// Reads an `INT32`.
    public mutating func int32() throws -> Int32 { Int32(bitPattern: try integer(UInt32.self)) }
    /// Reads an `INT64`.
    public mutating func int64() throws -> Int64 { Int64(bitPattern: try integer(UInt64.self)) }

    /// Reads a `NULLABLE_STRING` (nil for null).
    public mutating func nullableString() throws -> String? {
        let length = Int(try int16())
        if length < 0 { return nil }
        return String(decoding: try take(length), as: UTF8.self)
    }

    /// Reads a `STRING`; null reads as empty.
    public mutating func string() throws -> String { try nullableString() ?? "" }

    /// Reads `BYTES`; null reads as empty.
    public mutating func data() throws -> [UInt8] {
        let length = Int(try int32())
        if length < 0 { return [] }
        return Array(try take(length))
    }

    /// Reads an `ARRAY` whose elements `element` reads; a null array is empty.
    public mutating func array<T>(_ element: (inout WireReader) throws -> T) throws -> [T] {
        let count = Int(try int32())
        guard count <= remaining else { throw ProtocolError.malformed("array of \(count) elements in \(remaining) bytes") }
        var values: [T] = []
        if count > 0 { values.reserveCapacity(count) }
        for _ in 0..<max(count, 0) { values.append(try element(&self)) }
        return values
    }

    private mutating func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let slice = try take(MemoryLayout<T>.size)
        return slice.reduce(T(0)) { ($0 << 8) | T($1) }
    }

    private mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw ProtocolError.malformed("wanted \(count) bytes at \(position), \(remaining) left")
        }
        defer { position += count }
        return bytes[position..<position + count]
    }
}
