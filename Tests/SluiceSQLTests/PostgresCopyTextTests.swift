import Testing

@testable import SluiceSQL

/// The two pieces of the PostgreSQL COPY path that need no server: reading COPY's text
/// rows and writing parameters into a statement.
struct PostgresCopyTextTests {
    /// Parses `line` with `columns` columns (`bytea` where `bytea` says) and returns each
    /// column as a string, nil for NULL; nil when the row does not fit the columns.
    private func parse(_ line: String, bytea: [Bool]) -> [String?]? {
        var bytes = Array(line.utf8)
        let row = PostgresCopyRow(byteaColumns: bytea)
        return bytes.withUnsafeMutableBufferPointer { buffer -> [String?]? in
            guard row.parse(buffer.baseAddress!, count: buffer.count) else { return nil }
            return bytea.indices.map { index in
                row.bytes(index).map { bytea[index] ? $0.map { String($0) }.joined(separator: ",") : String(decoding: $0, as: UTF8.self) }
            }
        }
    }

    @Test func splitsColumnsAndReadsNull() {
        #expect(parse("1\tabc\t\\N\t\n", bytea: [false, false, false, false]) == ["1", "abc", nil, ""])
        #expect(parse("\\N\n", bytea: [false]) == [nil])
        #expect(parse("", bytea: [false]) == [""])
        // `\\N` is the text backslash-N, not NULL.
        #expect(parse("\\\\N\n", bytea: [false]) == ["\\N"])
    }

    @Test func undoesEveryEscape() {
        #expect(parse("a\\tb\\nc\\rd\\\\e\\bf\\fg\\vh\n", bytea: [false]) == ["a\tb\nc\rd\\e\u{8}f\u{c}g\u{b}h"])
        // Octal and hex escapes, which COPY FROM reads though COPY TO never writes them.
        #expect(parse("\\101\\x42\\7\\x4g\n", bytea: [false]) == ["AB\u{7}\u{4}g"])
        // A backslash before any other character stands for that character.
        #expect(parse("\\q\\", bytea: [false]) == ["q\\"])
    }

    @Test("rows of random fields, escaped as COPY TO writes them, read back as they were (escapes on every side of the 8-byte scan)")
    func readsBackRandomEscapedRows() {
        var seed: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let alphabet: [Character] = ["a", "b", "N", "x", "0", "\t", "\n", "\r", "\\", "\u{8}", "\u{c}", "\u{b}", "é"]
        let escapes: [Character: String] = [
            "\t": "\\t", "\n": "\\n", "\r": "\\r", "\\": "\\\\", "\u{8}": "\\b", "\u{c}": "\\f", "\u{b}": "\\v",
        ]
        for _ in 0..<500 {
            let columns = 1 + next(6)
            let fields: [String?] = (0..<columns).map { _ in
                next(8) == 0 ? nil : String((0..<next(40)).map { _ in alphabet[next(alphabet.count)] })
            }
            let line = fields.map { field in
                field.map { $0.map { escapes[$0] ?? String($0) }.joined() } ?? "\\N"
            }.joined(separator: "\t") + "\n"
            #expect(parse(line, bytea: Array(repeating: false, count: columns)) == fields, "\(line.debugDescription)")
        }
    }

    @Test func decodesByteaHexAfterUnescaping() {
        #expect(parse("\\\\x095c0aFF\t\\\\x\n", bytea: [true, true]) == ["9,92,10,255", ""])
        // A second, longer value in the same column grows its buffer.
        let row = PostgresCopyRow(byteaColumns: [true])
        for hex in ["\\\\x01", "\\\\x" + String(repeating: "ab", count: 300)] {
            var bytes = Array(hex.utf8)
            bytes.withUnsafeMutableBufferPointer { buffer in
                #expect(row.parse(buffer.baseAddress!, count: buffer.count))
                #expect(row.bytes(0)?.count == (hex.utf8.count - 3) / 2)
                #expect(row.bytes(0)?.last == (hex.count > 10 ? 0xab : 0x01))
            }
        }
    }

    @Test func refusesARowWithMoreOrFewerColumns() {
        #expect(parse("1\t2\n", bytea: [false]) == nil)
        #expect(parse("1\n", bytea: [false, false]) == nil)
        #expect(parse("1\t2\t3\n", bytea: [false, false]) == nil)
    }

    @Test func inlinesParametersAsQuotedLiterals() throws {
        #expect(
            try PostgresInlinedStatement.text("SELECT * FROM t WHERE id > $1 AND ts < $2", values: ["41", "2024-01-01 00:00:00"])
                == "SELECT * FROM t WHERE id > '41' AND ts < '2024-01-01 00:00:00'")
        #expect(try PostgresInlinedStatement.text("SELECT $1, $1", values: ["it's"]) == "SELECT 'it''s', 'it''s'")
        #expect(try PostgresInlinedStatement.text("SELECT $10", values: (1...10).map(String.init)) == "SELECT '10'")
    }

    @Test func leavesPlaceholdersInStringsCommentsAndNamesAlone() throws {
        let untouched = [
            "SELECT '$1', 'it''s $1'", "SELECT E'\\' $1'", "SELECT \"col$1\", \"a\"\"$1\"", "SELECT $$ $1 $$",
            "SELECT $tag$ $1 $other$ $1 $tag$", "SELECT 1 -- $1\n", "SELECT /* $1 /* $1 */ $1 */ 1", "SELECT a$1 FROM t",
        ]
        for sql in untouched {
            #expect(try PostgresInlinedStatement.text(sql, values: []) == sql, "\(sql)")
        }
        #expect(
            try PostgresInlinedStatement.text("SELECT '$1', $1 -- $1\n, $2", values: ["x", "y"])
                == "SELECT '$1', 'x' -- $1\n, 'y'")
        // E'' escapes a quote with a backslash; a standard string does not.
        #expect(try PostgresInlinedStatement.text("SELECT E'\\'', $1", values: ["v"]) == "SELECT E'\\'', 'v'")
        #expect(try PostgresInlinedStatement.text("SELECT 'a\\', $1", values: ["v"]) == "SELECT 'a\\', 'v'")
    }

    @Test func aPlaceholderWithoutAValueIsAnError() {
        #expect(throws: SQLError.query(database: "PostgreSQL", sql: "SELECT $2", reason: "placeholder $2 has no value (1 given)")) {
            try PostgresInlinedStatement.text("SELECT $2", values: ["x"])
        }
        #expect(throws: SQLError.self) { try PostgresInlinedStatement.text("SELECT $0", values: ["x"]) }
    }
}
