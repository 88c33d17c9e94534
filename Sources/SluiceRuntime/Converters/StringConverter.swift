/// Kafka Connect's `StringConverter`: UTF-8 text; other values are written as their
/// JSON text.
public struct StringConverter: Converter {
    public init() {}
    public var isPassThrough: Bool { true }
    /// Kafka Connect's class.
    public var className: String { "org.apache.kafka.connect.storage.StringConverter" }

    public func toBytes(_ value: ConnectValue) throws -> [UInt8]? {
        var output: [UInt8] = []
        return try write(value, into: &output) ? output : nil
    }

    public func write(_ value: ConnectValue, into output: inout [UInt8]) throws -> Bool {
        switch value {
        case .null: return false
        case let .string(text): output.append(contentsOf: text.utf8)
        case let .bytes(bytes): output.append(contentsOf: bytes)
        default: JSONText.write(value, into: &output)
        }
        return true
    }

    public func toValue(_ bytes: UnsafeRawBufferPointer?) throws -> ConnectValue {
        bytes.map { .string(String(decoding: $0, as: UTF8.self)) } ?? .null
    }
}
