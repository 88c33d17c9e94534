import Foundation

/// JSON text to and from ``ConnectValue``.
///
/// Both directions keep field order and use no Foundation per value.
public enum JSONText {
    /// Parses JSON text.
    /// - Throws: ``ConversionError/malformed(_:)`` with the position of the error.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws -> ConnectValue {
        try JSONParser.parse(bytes)
    }

    static func value(of object: Any) -> ConnectValue {
        switch object {
        case is NSNull: return .null
        case let text as String: return .string(text)
        case let number as NSNumber:
            let type = String(cString: number.objCType)
            if type == "c" || type == "B" || "\(Swift.type(of: object))".contains("Bool") { return .boolean(number.boolValue) }
            if type == "d" || type == "f" { return .double(number.doubleValue) }
            return .int(number.int64Value)
        case let list as [Any]: return .array(list.map(value(of:)))
        case let map as [String: Any]:
            return .object(map.keys.sorted().map { ConnectField($0, value(of: map[$0]!)) })
        default: return .string("\(object)")
        }
    }

    /// Appends the JSON text of `value` to `output`.
    public static func write(_ value: ConnectValue, into output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case let .boolean(flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case let .int(number): output.append(contentsOf: String(number).utf8)
        case let .double(number): output.append(contentsOf: (number.isFinite ? "\(number)" : "null").utf8)
        case let .string(text): writeString(text, into: &output)
        case let .bytes(bytes): writeString(Data(bytes).base64EncodedString(), into: &output)
        case let .array(items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(item, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case let .object(fields):
            output.append(UInt8(ascii: "{"))
            for (index, field) in fields.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(field.name, into: &output)
                output.append(UInt8(ascii: ":"))
                write(field.value, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Most strings need no escaping: copy them in one go.
        let plain = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            output.append(contentsOf: bytes)
            return true
        }
        if plain == true {
            output.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): output.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
