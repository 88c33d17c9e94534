/// Turns a record's key or value between Kafka bytes and ``ConnectValue``, like Kafka
/// Connect's `Converter` (`key.converter`, `value.converter`).
public protocol Converter: Sendable {
    /// Whether the converter leaves bytes unchanged for values that are already bytes
    /// or strings, so the record can stay on the zero-copy path.
    var isPassThrough: Bool { get }
    /// The converter's class as Kafka Connect names it
    /// (`org.apache.kafka.connect.json.JsonConverter`): what a dead letter's
    /// `__connect.errors.class.name` says when it failed. By default the Swift type's
    /// module-qualified name.
    var className: String { get }
    /// The bytes Kafka gets for `value` (`nil` for a null record part).
    func toBytes(_ value: ConnectValue) throws -> [UInt8]?
    /// The value carried by Kafka bytes (`nil` bytes: a null part).
    func toValue(_ bytes: UnsafeRawBufferPointer?) throws -> ConnectValue
    /// Appends the bytes Kafka gets for `value` to `output` and returns `true`, or
    /// returns `false` (leaving `output` as it was) for a null record part. The
    /// converted path calls this with one reused buffer per part, so a converter
    /// that implements it allocates nothing per record.
    func write(_ value: ConnectValue, into output: inout [UInt8]) throws -> Bool
    /// Like ``write(_:into:)``, for a value whose schema has a name or version
    /// (``SchemaMetadata``): a converter that writes schemas writes them; the others
    /// ignore `schema`.
    func write(_ value: ConnectValue, schema: SchemaMetadata?, into output: inout [UInt8]) throws -> Bool
    /// Like ``toValue(_:)``, with the name and version of the schema the bytes carry
    /// (`nil` when they carry none, or the converter reads no schemas).
    func toValueAndSchema(_ bytes: UnsafeRawBufferPointer?) throws -> (ConnectValue, SchemaMetadata?)
}

extension Converter {
    /// The Swift type's module-qualified name (`MyModule.AvroConverter`).
    public var className: String { String(reflecting: Self.self) }

    /// Appends ``toBytes(_:)``'s result: correct for every converter, with one array per call.
    public func write(_ value: ConnectValue, into output: inout [UInt8]) throws -> Bool {
        guard let bytes = try toBytes(value) else { return false }
        output.append(contentsOf: bytes)
        return true
    }

    /// Reads no schema: ``toValue(_:)`` and `nil`.
    public func toValueAndSchema(_ bytes: UnsafeRawBufferPointer?) throws -> (ConnectValue, SchemaMetadata?) {
        (try toValue(bytes), nil)
    }

    /// Writes no schema, so ignores `schema`: ``write(_:into:)``.
    public func write(_ value: ConnectValue, schema: SchemaMetadata?, into output: inout [UInt8]) throws -> Bool {
        try write(value, into: &output)
    }
}

/// Why a record could not be converted or transformed.
public enum ConversionError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case unsupported(String)

    public var description: String {
        switch self {
        case let .malformed(text), let .unsupported(text): return text
        }
    }
}
