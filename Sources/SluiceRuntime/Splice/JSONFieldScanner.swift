#if canImport(Glibc)
import Glibc
#endif

/// Reads a record's JSON value as a top-level object whose fields can be copied as
/// they are written: the splice route's entry test.
///
/// A value qualifies only when copying its text gives exactly the bytes that
/// ``JSONParser`` followed by ``JSONText/write(_:into:)`` give, so the two routes
/// cannot disagree. That holds when every string (names included) is printable
/// ASCII without escapes, every number is an integer in canonical form that fits in
/// `Int64` (no leading zeros, no `-0`), and nested arrays and objects hold no
/// whitespace. Whitespace between the top-level fields does not matter (the object is
/// rebuilt). Anything else — other numbers, escapes, non-ASCII text, bad JSON — is
/// left to the tree route, which also reports the errors.
enum JSONFieldScanner {
    /// Nesting the tree route refuses at 512; the scan declines well before.
    static let maxDepth = 500

    /// Fills `fields` with the object's fields and returns `true`, or returns `false`
    /// (with `fields` in an unspecified state) when the value does not qualify.
    static func scan(_ text: UnsafeRawBufferPointer, into fields: inout [SplicedField]) -> Bool {
        fields.removeAll(keepingCapacity: true)
        var at = skipSpace(text, from: 0)
        guard at < text.count, text[at] == UInt8(ascii: "{") else { return false }
        at = skipSpace(text, from: at + 1)
        guard at < text.count else { return false }
        if text[at] == UInt8(ascii: "}") {
            return skipSpace(text, from: at + 1) == text.count
        }
        while true {
            guard at < text.count, text[at] == UInt8(ascii: "\""), let nameEnd = plainString(text, from: at) else { return false }
            let name = (at + 1)..<(nameEnd - 1)
            at = skipSpace(text, from: nameEnd)
            guard at < text.count, text[at] == UInt8(ascii: ":") else { return false }
            at = skipSpace(text, from: at + 1)
            guard let valueEnd = compactValue(text, from: at, depth: 1) else { return false }
            fields.append(SplicedField(name: name, value: at..<valueEnd))
            at = skipSpace(text, from: valueEnd)
            guard at < text.count else { return false }
            if text[at] == UInt8(ascii: ",") {
                at = skipSpace(text, from: at + 1)
                continue
            }
            guard text[at] == UInt8(ascii: "}") else { return false }
            return skipSpace(text, from: at + 1) == text.count
        }
    }

    @inline(__always)
    private static func skipSpace(_ text: UnsafeRawBufferPointer, from start: Int) -> Int {
        var at = start
        while at < text.count {
            let byte = text[at]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { break }
            at += 1
        }
        return at
    }

    /// The end (after the closing quote) of a string at `start` holding only printable
    /// ASCII without escapes, or `nil`.
    @inline(__always)
    private static func plainString(_ text: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var at = start + 1
        let count = text.count
        // Eight bytes at a time while none is a quote, backslash, control or non-ASCII byte.
        while at &+ 8 <= count {
            let word = text.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            if JSONScan.hasSpecial(word) || word & 0x8080_8080_8080_8080 != 0 { break }
            at &+= 8
        }
        while at < count {
            let byte = text[at]
            if byte == UInt8(ascii: "\"") { return at + 1 }
            if byte < 0x20 || byte >= 0x80 || byte == UInt8(ascii: "\\") { return nil }
            at += 1
        }
        return nil
    }

    /// The end of a canonical value without whitespace at `start`, or `nil`.
    private static func compactValue(_ text: UnsafeRawBufferPointer, from start: Int, depth: Int) -> Int? {
        guard start < text.count, depth <= maxDepth else { return nil }
        switch text[start] {
        case UInt8(ascii: "\""):
            return plainString(text, from: start)
        case UInt8(ascii: "{"):
            var at = start + 1
            guard at < text.count else { return nil }
            if text[at] == UInt8(ascii: "}") { return at + 1 }
            while true {
                guard at < text.count, text[at] == UInt8(ascii: "\""), let nameEnd = plainString(text, from: at),
                    nameEnd < text.count, text[nameEnd] == UInt8(ascii: ":"),
                    let valueEnd = compactValue(text, from: nameEnd + 1, depth: depth + 1), valueEnd < text.count
                else { return nil }
                if text[valueEnd] == UInt8(ascii: "}") { return valueEnd + 1 }
                guard text[valueEnd] == UInt8(ascii: ",") else { return nil }
                at = valueEnd + 1
            }
        case UInt8(ascii: "["):
            var at = start + 1
            guard at < text.count else { return nil }
            if text[at] == UInt8(ascii: "]") { return at + 1 }
            while true {
                guard let valueEnd = compactValue(text, from: at, depth: depth + 1), valueEnd < text.count else { return nil }
                if text[valueEnd] == UInt8(ascii: "]") { return valueEnd + 1 }
                guard text[valueEnd] == UInt8(ascii: ",") else { return nil }
                at = valueEnd + 1
            }
        case UInt8(ascii: "t"): return literal("true", text, start)
        case UInt8(ascii: "f"): return literal("false", text, start)
        case UInt8(ascii: "n"): return literal("null", text, start)
        default: return canonicalInteger(text, from: start)
        }
    }

    private static func literal(_ word: StaticString, _ text: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        let length = word.utf8CodeUnitCount
        guard start + length <= text.count else { return nil }
        let matches = word.withUTF8Buffer { memcmp($0.baseAddress!, text.baseAddress! + start, length) == 0 }
        guard matches else { return nil }
        // "truex" is not a literal: the tree route fails on it, so it goes there.
        if start + length < text.count, !isDelimiter(text[start + length]) { return nil }
        return start + length
    }

    /// The end of `-?(0|[1-9][0-9]*)` fitting `Int64` (and not `-0`), or `nil` for any
    /// other number (the tree route rewrites those).
    private static func canonicalInteger(_ text: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var at = start
        let negative = text[at] == UInt8(ascii: "-")
        if negative { at += 1 }
        let digitsStart = at
        var magnitude: UInt64 = 0
        while at < text.count, text[at] >= 0x30, text[at] <= 0x39 {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(text[at] - 0x30))
            if overflow1 || overflow2 { return nil }
            magnitude = sum
            at += 1
        }
        let digits = at - digitsStart
        guard digits > 0 else { return nil }
        if digits > 1 && text[digitsStart] == UInt8(ascii: "0") { return nil }
        if negative && magnitude == 0 { return nil }
        if magnitude > (negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)) { return nil }
        if at < text.count, !isDelimiter(text[at]) { return nil }  // 1.5, 1e3, 12abc
        return at
    }

    @inline(__always)
    private static func isDelimiter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")
            || byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
