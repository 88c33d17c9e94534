/// Kafka Connect's `ByteArrayConverter`: bytes pass through unchanged.
public struct ByteArrayConverter: Converter {
    public init() {}
    public var isPassThrough: Bool { true }

    public func toBytes(_ value: ConnectValue) throws -> [UInt8]? {
        switch value {
        case .null: return nil
        case let .bytes(bytes): return bytes
        case let .string(text): return Array(text.utf8)
        default: throw ConversionError.unsupported("ByteArrayConverter cannot write a \(value.kindName) value; it writes bytes only")
        }
    }

    public func toValue(_ bytes: UnsafeRawBufferPointer?) throws -> ConnectValue {
        bytes.map { .bytes(Array($0)) } ?? .null
    }
}
