/// Turns a record's key or value between Kafka bytes and ``ConnectValue``, like Kafka
/// Connect's `Converter` (`key.converter`, `value.converter`).
public protocol Converter: Sendable {
    /// Whether the converter leaves bytes unchanged for values that are already bytes
    /// or strings, so the record can stay on the zero-copy path.
    var isPassThrough: Bool { get }
    /// The bytes Kafka gets for `value` (`nil` for a null record part).
    func toBytes(_ value: ConnectValue) throws -> [UInt8]?
    /// The value carried by Kafka bytes (`nil` bytes: a null part).
    func toValue(_ bytes: UnsafeRawBufferPointer?) throws -> ConnectValue
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
