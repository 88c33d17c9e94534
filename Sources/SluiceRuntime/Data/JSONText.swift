import Foundation
import SluiceCore

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
        case let .int(number): ASCIIDecimal.append(number, to: &output)
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

    /// Appends `text` as a JSON string: one pass, clean runs copied in bulk.
    package static func writeString(_ text: String, into output: inout [UInt8]) {
        var text = text
        text.withUTF8 { writeString(UnsafeRawBufferPointer($0), into: &output) }
    }

    /// Appends UTF-8 `raw` as a JSON string: one pass, clean runs copied in bulk.
    package static func writeString(_ raw: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var runStart = 0
        while true {
            let special = JSONScan.firstSpecial(in: raw, from: runStart)
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[runStart..<special]))
            guard special < raw.count else { break }
            appendEscape(of: raw[special], into: &output)
            runStart = special + 1
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Writes UTF-8 `raw` as a JSON string straight into a record (``ArenaWriter``),
    /// as the other `writeString` does into an array.
    package static func writeString(_ raw: UnsafeRawBufferPointer, into writer: inout ArenaWriter) {
        writer.append(UInt8(ascii: "\""))
        var runStart = 0
        while true {
            let special = JSONScan.firstSpecial(in: raw, from: runStart)
            writer.append(UnsafeRawBufferPointer(rebasing: raw[runStart..<special]))
            guard special < raw.count else { break }
            withEscape(of: raw[special]) { writer.append($0) }
            runStart = special + 1
        }
        writer.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(of byte: UInt8, into output: inout [UInt8]) {
        withEscape(of: byte) { output.append(contentsOf: $0) }
    }

    /// Calls `body` with the JSON escape of `byte` (a quote, a backslash or a control byte).
    private static func withEscape(of byte: UInt8, _ body: (UnsafeRawBufferPointer) -> Void) {
        let hex: StaticString = "0123456789abcdef"
        var escape: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0x5C, 0, 0, 0, 0, 0)
        let count: Int
        switch byte {
        case UInt8(ascii: "\""): (escape.1, count) = (0x22, 2)
        case UInt8(ascii: "\\"): (escape.1, count) = (0x5C, 2)
        case 0x0A: (escape.1, count) = (UInt8(ascii: "n"), 2)
        case 0x0D: (escape.1, count) = (UInt8(ascii: "r"), 2)
        case 0x09: (escape.1, count) = (UInt8(ascii: "t"), 2)
        default:
            hex.withUTF8Buffer { digits in
                escape = (0x5C, UInt8(ascii: "u"), 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 15)])
            }
            count = 6
        }
        withUnsafeBytes(of: &escape) { body(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
    }
}
