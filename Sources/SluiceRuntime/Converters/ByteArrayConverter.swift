/// Kafka Connect's `ByteArrayConverter`: bytes pass through unchanged.
public struct ByteArrayConverter: Converter {
    public init() {}
    public var isPassThrough: Bool { true }
    /// Kafka Connect's class.
    public var className: String { "org.apache.kafka.connect.converters.ByteArrayConverter" }

    public func toBytes(_ value: ConnectValue) throws -> [UInt8]? {
        var output: [UInt8] = []
        return try write(value, into: &output) ? output : nil
    }

    public func write(_ value: ConnectValue, into output: inout [UInt8]) throws -> Bool {
        switch value {
        case .null: return false
        case let .bytes(bytes): output.append(contentsOf: bytes)
        case let .string(text): output.append(contentsOf: text.utf8)
        default: throw ConversionError.unsupported("ByteArrayConverter cannot write a \(value.kindName) value; it writes bytes only")
        }
        return true
    }

    public func toValue(_ bytes: UnsafeRawBufferPointer?) throws -> ConnectValue {
        bytes.map { .bytes(Array($0)) } ?? .null
    }
}
