import Foundation
import SluiceCore
import Testing

@testable import SluiceSQL

@Suite("Kafka Connect encodings of SQL values")
struct ConnectEncodingTests {
    private func decimal(_ text: String, scale: Int) -> [UInt8]? {
        var bytes = DecimalBytes()
        var text = text
        var stacked: [UInt8] = []
        let small = text.withUTF8 { bytes.withBytes(text: UnsafeRawBufferPointer($0), scale: scale) { stacked = Array($0) } }
        let general = text.withUTF8 { bytes.set(text: UnsafeRawBufferPointer($0), scale: scale) }
        #expect(small == general && (!small || stacked == bytes.bytes), "both paths agree on \(text)")
        return small ? stacked : nil
    }

    @Test("decimals become the unscaled value's big-endian two's complement, as BigInteger.toByteArray()")
    func decimals() throws {
        #expect(decimal("123.45", scale: 2) == [0x30, 0x39])
        #expect(decimal("0", scale: 0) == [0x00])
        #expect(decimal("-1", scale: 0) == [0xFF])
        #expect(decimal("128", scale: 0) == [0x00, 0x80])
        #expect(decimal("-128", scale: 0) == [0x80])
        #expect(decimal("-129", scale: 0) == [0xFF, 0x7F])
        #expect(decimal("1.5", scale: 3) == [0x05, 0xDC])
        #expect(decimal("99999999999999999999999999999999999999", scale: 0)?.count == 16, "10^38 - 1 needs 127 bits")
        #expect(decimal("1.234", scale: 2) == nil, "more fraction digits than the scale")
        #expect(decimal("1.230", scale: 2) == [0x7B])
        #expect(decimal("abc", scale: 0) == nil)
        // Long texts take the general path; the same value both ways.
        #expect(decimal("-000000000000001234567.890", scale: 3) == decimal("-1234567.89", scale: 3))
        #expect(decimal("-1234567.89", scale: 3) == [0xB6, 0x69, 0xFD, 0x2E], "-1234567890")
        func integer(_ text: String) -> Int64? { Array(text.utf8).withUnsafeBytes { SQLSourceTask.integer($0) } }
        #expect(integer("42") == 42 && integer("-7") == -7 && integer("12.000") == 12)
        #expect(integer("1.5") == nil && integer("") == nil && integer("x") == nil && integer("99999999999999999999") == nil)
        #expect(integer("-") == nil && integer("123456789012345678") == 123_456_789_012_345_678 && integer("-9223372036854775807") == -9_223_372_036_854_775_807)
        #expect(integer("1234567890123456789") == 1_234_567_890_123_456_789 && integer("12a") == nil && integer("12.50") == nil)
        func isInteger(_ text: String) -> Bool { Array(text.utf8).withUnsafeBytes { ConnectRowEncoder.isInteger($0) } }
        #expect(isInteger("12") && isInteger("-7") && isInteger("0"))
        #expect(!isInteger("") && !isInteger("-") && !isInteger("5.00") && !isInteger("1a") && !isInteger("--1") && !isInteger(" 1"))
        // RFC 4648's test vectors, and every byte value.
        func base64(_ bytes: [UInt8]) throws -> String {
            let batch = RecordBatch(arenaBytes: 1024, maxRecords: 1)
            _ = try batch.append { writer in
                bytes.withUnsafeBytes { Base64Text.append($0, to: &writer) }
                return (-1, writer.count)
            }
            return String(decoding: batch[0].value ?? UnsafeRawBufferPointer(start: nil, count: 0), as: UTF8.self)
        }
        for (plain, encoded) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")] {
            #expect(try base64(Array(plain.utf8)) == encoded)
        }
        let all = (0...255).map { UInt8($0) }
        #expect(try base64(all) == Data(all).base64EncodedString())
    }

    @Test("decimal.format=NUMERIC writes what BigDecimal.toString() writes at the column's scale")
    func numericDecimals() throws {
        func number(_ text: String, _ scale: Int) throws -> String? {
            let batch = RecordBatch(arenaBytes: 1024, maxRecords: 1)
            var written = true
            _ = try batch.append { writer in
                written = Array(text.utf8).withUnsafeBytes { DecimalNumberText.append($0, scale: scale, to: &writer) }
                return (-1, writer.count)
            }
            return written ? String(decoding: batch[0].value ?? UnsafeRawBufferPointer(start: nil, count: 0), as: UTF8.self) : nil
        }
        let cases: [(String, Int, String?)] = [
            ("12.5", 2, "12.50"), ("12.50", 2, "12.50"), ("-0.00", 2, "0.00"), ("0", 2, "0.00"), ("+007.10", 2, "7.10"),
            ("123", 0, "123"), ("-123", 0, "-123"), (".5", 1, "0.5"), ("1.2300", 2, "1.23"),
            ("0.0000001", 7, "1E-7"), ("0.0000010", 7, "0.0000010"), ("-0.00000012", 8, "-1.2E-7"), ("0.00000000", 8, "0E-8"),
            ("1200", -2, "1.2E+3"), ("0", -2, "0E+2"), ("-123456789012345678901234567890.5", 1, "-123456789012345678901234567890.5"),
            ("1.2345", 2, nil), ("1250", -2, nil), ("abc", 2, nil), ("", 2, nil), (".", 2, nil), ("1.2.3", 2, nil), ("--1", 0, nil),
        ]
        for (text, scale, expected) in cases {
            #expect(try number(text, scale) == expected, "\(text) at scale \(scale)")
        }
    }

    @Test("timestamps read from database text, with fractions and offsets, and written back")
    func timestamps() throws {
        let stamp = try #require(SQLTimestamp("2024-01-02 03:04:05.678901"))
        #expect(stamp.milliseconds == 1_704_164_645_678 && stamp.nanos == 678_901_000)
        #expect(stamp.text(fractionDigits: 6) == "2024-01-02 03:04:05.678901")
        #expect(SQLTimestamp("2024-01-02 05:04:05+02")?.seconds == stamp.seconds)
        #expect(SQLTimestamp("2024-01-02T03:04:05Z")?.seconds == stamp.seconds)
        #expect(SQLTimestamp("1969-12-31 23:59:59.5")?.milliseconds == -500)
        #expect(SQLTimestamp("2024-01-02 03:04:05", offsetSeconds: 3600)?.seconds == stamp.seconds - 3600)
        #expect(SQLTimestamp("2024-13-02 03:04:05") == nil && SQLTimestamp("yesterday") == nil)
        #expect(SQLTimestamp(milliseconds: -1).text(fractionDigits: 3) == "1969-12-31 23:59:59.999")
        #expect(SQLSourceConfig.offset(of: "+05:30") == 19_800 && SQLSourceConfig.offset(of: "UTC-08:00") == -28_800)
        #expect(SQLSourceConfig.offset(of: "Europe/Paris") == nil)
    }

    @Test("JDBC URLs as users write them")
    func urls() throws {
        let mysql = try JdbcURL("jdbc:mysql://db.example:3307/mydb?user=u&password=p%40ss&useSSL=false")
        #expect(mysql.kind == .mariadb && mysql.host == "db.example" && mysql.port == 3307 && mysql.database == "mydb")
        #expect(mysql.user == "u" && mysql.password == "p@ss" && mysql.parameters["useSSL"] == "false")
        #expect(mysql.target == "db.example:3307/mydb")
        let postgres = try JdbcURL("jdbc:postgresql://localhost/shop")
        #expect(postgres.kind == .postgresql && postgres.port == 5432 && postgres.database == "shop")
        #expect(try JdbcURL("jdbc:mariadb://[::1]:3306/x").host == "::1")
        #expect(try JdbcURL("jdbc:sqlite:/tmp/a.db").database == "/tmp/a.db")
        #expect(throws: SQLError.self) { try JdbcURL("jdbc:mysql://h:99999/x") }
        #expect(throws: SQLError.self) { try JdbcURL("mysql://h/x") }
    }
}
