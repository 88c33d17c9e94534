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
        func hex4(_ at: Int) throws -> UInt32 {
            guard at + 4 <= raw.count else { throw failure("bad \\u escape") }
            var value: UInt32 = 0
            for byte in UnsafeRawBufferPointer(rebasing: raw[at..<(at + 4)]) {
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw failure("bad \\u escape")
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while i < raw.count {
            let byte = raw[i]
            guard byte == UInt8(ascii: "\\"), i + 1 < raw.count else { out.append(byte); i += 1; continue }
            let code = raw[i + 1]
            i += 2
            switch code {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(code)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = try hex4(i)
                i += 4
                // A UTF-16 surrogate pair (\uD83D\uDE00) is one character; a lone half is U+FFFD.
                if (0xD800...0xDBFF).contains(scalar), i + 6 <= raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u"),
                    case let low = try hex4(i + 2), (0xDC00...0xDFFF).contains(low)
                {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                out.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
            default:
                throw failure("bad escape '\\\(Character(Unicode.Scalar(code)))'")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A number by JSON's grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    /// Integers that fit `Int64` are read as they are scanned; the rest go through `Double`.
    private mutating func number() throws -> ConnectValue {
        let start = at
        func isDigit(_ index: Int) -> Bool { index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39 }
        let negative = at < bytes.count && bytes[at] == UInt8(ascii: "-")
        if negative { at += 1 }
        guard isDigit(at) else { throw failure(negative ? "expected a digit after '-'" : "unexpected character") }
        var magnitude: UInt64 = 0
        var fits = true
        if bytes[at] == UInt8(ascii: "0") {
            at += 1
            if isDigit(at) { throw failure("a number may not start with 0") }
        } else {
            while isDigit(at) {
                let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(UInt64(bytes[at] &- 0x30))
                if overflow1 || overflow2 { fits = false }
                magnitude = sum
                at += 1
            }
        }
        var isInteger = true
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
            isInteger = false
            at += 1
            guard isDigit(at) else { throw failure("expected a digit after '.'") }
            while isDigit(at) { at += 1 }
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
            isInteger = false
            at += 1
            if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard isDigit(at) else { throw failure("expected a digit in the exponent") }
            while isDigit(at) { at += 1 }
        }
        if isInteger && fits {
            if !negative, magnitude <= UInt64(Int64.max) { return .int(Int64(magnitude)) }
            if negative, magnitude <= UInt64(Int64.max) + 1 { return .int(magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)) }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
        guard let double = Double(text) else { throw failure("bad number '\(text)'") }
        return .double(double)
    }
}
