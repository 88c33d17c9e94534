/// Kafka Connect's `StringConverter`: UTF-8 text; other values are written as their
/// JSON text.
public struct StringConverter: Converter {
    public init() {}
    public var isPassThrough: Bool { true }

    public func toBytes(_ value: ConnectValue) throws -> [UInt8]? {
        switch value {
        case .null: return nil
        case let .string(text): return Array(text.utf8)
        case let .bytes(bytes): return bytes
        default:
            var output: [UInt8] = []
            JSONText.write(value, into: &output)
            return output
        }
    }

    public func toValue(_ bytes: UnsafeRawBufferPointer?) throws -> ConnectValue {
        bytes.map { .string(String(decoding: $0, as: UTF8.self)) } ?? .null
    }
}
