/// A PostgreSQL statement with its `$n` placeholders replaced by literals, for the one
/// statement that cannot bind parameters: `COPY (query) TO STDOUT`.
///
/// Each value becomes a quoted string literal (`'…'`, quotes doubled). An untyped
/// literal takes its type from where it stands, as a parameter bound as text without a
/// type does (`id > '41'` compares as `bigint`), so the statement means what it meant
/// with parameters. The session runs with `standard_conforming_strings=on`, so a
/// backslash in a value is an ordinary character.
///
/// Placeholders are found with PostgreSQL's lexical rules, so `$1` inside a string
/// (`'…'`, `E'…'` with backslash escapes), a quoted identifier (`"…"`), a dollar-quoted
/// string (`$tag$…$tag$`), a comment (`--`, nested `/* */`) or an identifier (`a$1`)
/// is left alone.
enum PostgresInlinedStatement {
    /// `sql` with `$1`…`$n` replaced by `values[0]`…`values[n-1]` as literals.
    /// - Throws: ``SQLError/query(database:sql:reason:)`` when a placeholder has no value.
    static func text(_ sql: String, values: [String]) throws -> String {
        let bytes = Array(sql.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + values.reduce(0) { $0 + $1.utf8.count + 2 })
        var i = 0
        func copy(through end: Int) {
            out.append(contentsOf: bytes[i..<min(end, bytes.count)])
            i = min(end, bytes.count)
        }
        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "'"):
                let backslashes = i > 0 && (bytes[i - 1] | 0x20) == UInt8(ascii: "e") && (i < 2 || !isIdentifier(bytes[i - 2]))
                copy(through: endOfQuoted(bytes, from: i, quote: c, backslashEscapes: backslashes))
            case UInt8(ascii: "\""):
                copy(through: endOfQuoted(bytes, from: i, quote: c, backslashEscapes: false))
            case UInt8(ascii: "-") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "-"):
                copy(through: (bytes[i...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count) + 1)
            case UInt8(ascii: "/") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "*"):
                copy(through: endOfBlockComment(bytes, from: i))
            case UInt8(ascii: "$") where i > 0 && isIdentifier(bytes[i - 1]):
                copy(through: i + 1)  // `$` inside an identifier (`a$1`)
            case UInt8(ascii: "$"):
                var end = i + 1
                while end < bytes.count, isDigit(bytes[end]) { end += 1 }
                if end > i + 1 {
                    let number = Int(String(decoding: bytes[(i + 1)..<end], as: UTF8.self)) ?? 0
                    guard number >= 1, number <= values.count else {
                        throw SQLError.query(
                            database: "PostgreSQL", sql: sql,
                            reason: "placeholder $\(number) has no value (\(values.count) given)")
                    }
                    out.append(UInt8(ascii: "'"))
                    for byte in values[number - 1].utf8 {
                        if byte == UInt8(ascii: "'") { out.append(byte) }
                        out.append(byte)
                    }
                    out.append(UInt8(ascii: "'"))
                    i = end
                } else if let close = endOfDollarQuote(bytes, from: i) {
                    copy(through: close)
                } else {
                    copy(through: i + 1)
                }
            default:
                copy(through: i + 1)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    /// Letters, digits, `_`, `$` and non-ASCII bytes continue an identifier.
    private static func isIdentifier(_ c: UInt8) -> Bool {
        isDigit(c) || (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") || c == UInt8(ascii: "_")
            || c == UInt8(ascii: "$") || c >= 0x80
    }

    /// The index after the quote that closes the one at `start` (a doubled quote is part
    /// of the text; with `backslashEscapes`, so is the byte after a backslash).
    private static func endOfQuoted(_ bytes: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
        var i = start + 1
        while i < bytes.count {
            if backslashEscapes && bytes[i] == UInt8(ascii: "\\") {
                i += 2
            } else if bytes[i] == quote {
                if i + 1 < bytes.count && bytes[i + 1] == quote { i += 2 } else { return i + 1 }
            } else {
                i += 1
            }
        }
        return bytes.count
    }

    /// The index after the `*/` that closes the (possibly nested) comment at `start`.
    private static func endOfBlockComment(_ bytes: [UInt8], from start: Int) -> Int {
        var depth = 0
        var i = start
        while i + 1 < bytes.count {
            if bytes[i] == UInt8(ascii: "/") && bytes[i + 1] == UInt8(ascii: "*") {
                depth += 1
                i += 2
            } else if bytes[i] == UInt8(ascii: "*") && bytes[i + 1] == UInt8(ascii: "/") {
                depth -= 1
                i += 2
                if depth == 0 { return i }
            } else {
                i += 1
            }
        }
        return bytes.count
    }

    /// The index after a dollar-quoted string opening at `start` (`$$…$$` or `$tag$…$tag$`,
    /// the tag an identifier that does not start with a digit), or nil when `start` opens none.
    private static func endOfDollarQuote(_ bytes: [UInt8], from start: Int) -> Int? {
        var i = start + 1
        while i < bytes.count, bytes[i] != UInt8(ascii: "$") {
            guard isIdentifier(bytes[i]), bytes[i] != UInt8(ascii: "$") else { return nil }
            i += 1
        }
        guard i < bytes.count else { return nil }
        let tag = bytes[start...i]
        var j = i + 1
        while j + tag.count <= bytes.count {
            if bytes[j] == UInt8(ascii: "$") && bytes[j..<(j + tag.count)].elementsEqual(tag) { return j + tag.count }
            j += 1
        }
        return bytes.count
    }
}
