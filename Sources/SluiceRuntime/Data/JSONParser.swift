#if canImport(Glibc)
import Glibc
#endif

/// A byte-level JSON reader into ``ConnectValue``: no Foundation, no intermediate
/// objects, strings without escapes decoded in one step. Object fields keep their
/// order in the text.
struct JSONParser {
    private let bytes: UnsafeRawBufferPointer
    private var at = 0

    /// Parses one JSON value that fills `bytes` (whitespace around it allowed).
    static func parse(_ bytes: UnsafeRawBufferPointer) throws -> ConnectValue {
        var parser = JSONParser(bytes: bytes)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.at == bytes.count else { throw parser.failure("unexpected text after the value") }
        return value
    }

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    private func failure(_ reason: String) -> ConversionError {
        .malformed("not valid JSON: \(reason) at byte \(at)")
    }

    private mutating func skipSpace() {
        while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
    }

    private mutating func expect(_ word: String, _ result: ConnectValue) throws -> ConnectValue {
        for byte in word.utf8 {
            guard at < bytes.count, bytes[at] == byte else { throw failure("expected \(word)") }
            at += 1
        }
        return result
    }

    private mutating func value(depth: Int) throws -> ConnectValue {
        guard depth < 512 else { throw failure("nested too deeply") }
        skipSpace()
        guard at < bytes.count else { throw failure("unexpected end") }
        switch bytes[at] {
        case UInt8(ascii: "{"):
            at += 1
            var fields: [ConnectField] = []
            // One allocation for typical records, with room for a transform to add fields.
            fields.reserveCapacity(8)
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(fields) }
            while true {
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw failure("expected a field name") }
                let name = try string()
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { throw failure("expected ':'") }
                at += 1
                fields.append(ConnectField(name, try value(depth: depth + 1)))
                skipSpace()
                guard at < bytes.count else { throw failure("unexpected end in an object") }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                if bytes[at] == UInt8(ascii: "}") { at += 1; return .object(fields) }
                throw failure("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            at += 1
            var items: [ConnectValue] = []
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
            while true {
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard at < bytes.count else { throw failure("unexpected end in an array") }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                if bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
                throw failure("expected ',' or ']'")
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try expect("true", .boolean(true))
        case UInt8(ascii: "f"): return try expect("false", .boolean(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        default: return try number()
        }
    }

    private mutating func string() throws -> String {
        at += 1  // opening quote
        let start = at
        var escaped = false
        while true {
            at = JSONScan.firstSpecial(in: bytes, from: at)
            guard at < bytes.count else { throw failure("unterminated string") }
            let byte = bytes[at]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<at])
                at += 1
                return escaped ? try unescape(raw) : String(decoding: raw, as: UTF8.self)
            }
            guard byte == UInt8(ascii: "\\") else { throw failure("control character in a string") }
            escaped = true
            at += 2  // the backslash and the character it escapes
        }
    }

    private func unescape(_ raw: UnsafeRawBufferPointer) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let byte = raw[i]
            guard byte == UInt8(ascii: "\\"), i + 1 < raw.count else { out.append(byte); i += 1; continue }
            let code = raw[i + 1]
            i += 2
            switch code {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard i + 4 <= raw.count, let scalar = UInt32(String(decoding: UnsafeRawBufferPointer(rebasing: raw[i..<(i + 4)]), as: UTF8.self), radix: 16)
                else { throw failure("bad \\u escape") }
                i += 4
                out.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
            default: out.append(code)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func number() throws -> ConnectValue {
        let start = at
        var isInteger = true
        let negative = at < bytes.count && bytes[at] == UInt8(ascii: "-")
        if negative { at += 1 }
        // Integers are accumulated as they are read; anything else goes through `Double`.
        var magnitude: UInt64 = 0
        var fits = true
        while at < bytes.count {
            let byte = bytes[at]
            if byte >= 0x30 && byte <= 0x39 {
                let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte &- 0x30))
                if overflow1 || overflow2 { fits = false }
                magnitude = sum
                at += 1
                continue
            }
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                isInteger = false
                at += 1
                continue
            }
            break
        }
        guard at > start + (negative ? 1 : 0) else { throw failure("unexpected character") }
        if isInteger && fits {
            if !negative, magnitude <= UInt64(Int64.max) { return .int(Int64(magnitude)) }
            if negative, magnitude <= UInt64(Int64.max) + 1 { return .int(magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)) }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
        guard let double = Double(text) else { throw failure("bad number '\(text)'") }
        return .double(double)
    }
}
