/// Builds the body of a Kafka protocol request (big-endian, non-flexible encodings).
///
/// Only the primitive types the group and metadata requests need: fixed-width
/// integers, `STRING`/`NULLABLE_STRING` (int16 length), `BYTES` (int32 length) and
/// arrays (int32 count).
public struct WireWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// Appends an `INT8`.
    public mutating func int8(_ value: Int8) { bytes.append(UInt8(bitPattern: value)) }
    /// Appends a `BOOLEAN`.
    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }
    /// Appends an `INT16`.
    public mutating func int16(_ value: Int16) { append(UInt16(bitPattern: value)) }
    /// Appends an `INT32`.
    public mutating func int32(_ value: Int32) { append(UInt32(bitPattern: value)) }
    /// Appends an `INT64`.
    public mutating func int64(_ value: Int64) { append(UInt64(bitPattern: value)) }

    /// Appends a `STRING`, or a null `NULLABLE_STRING` when `value` is nil.
    public mutating func string(_ value: String?) {
        guard let value else { int16(-1); return }
        let utf8 = Array(value.utf8)
        int16(Int16(utf8.count))
        bytes += utf8
    }

    /// Appends `BYTES`, or null `NULLABLE_BYTES` when `value` is nil.
    public mutating func data(_ value: [UInt8]?) {
        guard let value else { int32(-1); return }
        int32(Int32(value.count))
        bytes += value
    }

    /// Appends an `ARRAY`: its count, then each element written by `element`.
    public mutating func array<T>(_ values: [T], _ element: (inout WireWriter, T) -> Void) {
        int32(Int32(values.count))
        for value in values { element(&self, value) }
    }

    private mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
    }
}
