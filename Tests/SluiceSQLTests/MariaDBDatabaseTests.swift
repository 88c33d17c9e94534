import CMariaDB
import Foundation
import Testing

@testable import SluiceSQL

/// ``MariaDBDatabase`` against a private MariaDB server (``MariaDBServer``), one
/// database per test.
@Suite(.mariaDBServer)
struct MariaDBDatabaseTests {
    let server: MariaDBServer

    init() throws {
        server = try #require(MariaDBServer.current, "the suite's MariaDB server")
    }

    /// A new database `name` and a connection to it.
    func connect(_ name: String, scheme: String = "mysql") throws -> MariaDBDatabase {
        try server.createDatabase(name)
        return try MariaDBDatabase(
            url: JdbcURL(server.url(database: name, scheme: scheme)), user: server.user, password: server.password,
            connectTimeoutSeconds: 5)
    }

    @Test("a stream read over many calls keeps a refused row for the next, and ends when closed or when another statement runs")
    func rowStreamContract() throws {
        let db = try connect("row_stream")
        try db.execute("CREATE TABLE numbers (id BIGINT PRIMARY KEY, label VARCHAR(20) NOT NULL)")
        try db.execute("SET SESSION max_recursive_iterations = 10000")
        try db.execute("INSERT INTO numbers WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 2500) SELECT n, CONCAT('n-', n) FROM s")
        try SQLRowStreamContract.check(db, count: 2500)
    }

    @Test func connectsAndRunsStatements() throws {
        let db = try connect("connect")
        #expect(db.dialect.name == "MariaDB")
        #expect(db.dialect.quoted("a`b") == "`a``b`")
        #expect(db.dialect.placeholder(2) == "?")
        #expect(db.dialect.timestampExpression("`t`") == "`t`")
        try db.execute("CREATE TABLE t (id INT PRIMARY KEY)")
        try db.execute("INSERT INTO t VALUES (1), (2)")
        // A statement that returns rows leaves the connection usable.
        try db.execute("SELECT * FROM t")
        var zone: String?
        try db.query(
            "SELECT @@session.time_zone, @@character_set_client", parameters: [], fetchSize: 1, columns: { _ in },
            row: { row in
                zone = row.bytes(0).map { String(decoding: $0, as: UTF8.self) }
                #expect(row.bytes(1).map { String(decoding: $0, as: UTF8.self) } == "utf8mb4")
                return true
            })
        #expect(zone == "+00:00")
        db.close()
        db.close()
        #expect(throws: SQLError.self) { try db.execute("SELECT 1") }
        #expect(throws: SQLError.self) { try db.now() }
    }

    @Test func wrongPasswordNamesUserAndHostButNotThePassword() throws {
        try server.createDatabase("wrongpw")
        let secret = "not-the-Password-42"
        let url = try JdbcURL(server.url(database: "wrongpw"))
        let error = try #require(throws: SQLError.self) {
            try MariaDBDatabase(url: url, user: server.user, password: secret, connectTimeoutSeconds: 5)
        }
        guard case .connection(let database, let target, let reason) = error else {
            Issue.record("expected a connection error, got \(error)")
            return
        }
        #expect(database == "MariaDB")
        #expect(target == "sluice@127.0.0.1:\(server.port)/wrongpw")
        #expect(reason.contains("Access denied"))
        #expect(error.description.contains("sluice@127.0.0.1:\(server.port)"))
        #expect(!error.description.contains(secret))
        // The password given in the URL is not shown either.
        let inURL = try JdbcURL(server.url(database: "wrongpw") + "?user=sluice&password=\(secret)")
        let second = try #require(throws: SQLError.self) {
            try MariaDBDatabase(url: inURL, user: nil, password: nil, connectTimeoutSeconds: 5)
        }
        #expect(second.description.contains("sluice@"))
        #expect(!second.description.contains(secret))
    }

    @Test func unreachablePortFailsQuickly() throws {
        // A port nothing listens on: bound to 0 and released.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                _ = bind(fd, $0, length)
                _ = getsockname(fd, $0, &length)
            }
        }
        close(fd)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let url = try JdbcURL("jdbc:mysql://127.0.0.1:\(port)/nothing")
        let started = ContinuousClock.now
        let error = try #require(throws: SQLError.self) {
            try MariaDBDatabase(url: url, user: "sluice", password: "secret-xyz", connectTimeoutSeconds: 2)
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        guard case .connection(_, let target, let reason) = error else {
            Issue.record("expected a connection error, got \(error)")
            return
        }
        #expect(target == "sluice@127.0.0.1:\(port)/nothing")
        #expect(reason.contains("connect"))
        #expect(!error.description.contains("secret-xyz"))
    }

    @Test func mariadbSchemeAndLocalhostUseTCP() throws {
        let db = try connect("scheme", scheme: "mariadb")
        #expect(try db.now().seconds > 0)
        // `localhost` is 127.0.0.1 over TCP, not the (absent) default unix socket.
        let local = try MariaDBDatabase(
            url: JdbcURL("jdbc:mariadb://localhost:\(server.port)/scheme"), user: server.user,
            password: server.password,
            connectTimeoutSeconds: 5)
        var database: String?
        try local.query(
            "SELECT DATABASE()", parameters: [], fetchSize: 1, columns: { _ in },
            row: { row in
                database = row.bytes(0).map { String(decoding: $0, as: UTF8.self) }
                return true
            })
        #expect(database == "scheme")
    }

    @Test func tablesAndDescriptions() throws {
        let db = try connect("catalog")
        try server.execute(
            """
            CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL, note TEXT NULL, updated DATETIME(3));
            CREATE TABLE order_lines (
                order_id INT NOT NULL, line_no INT NOT NULL, qty INT NOT NULL, comment VARCHAR(20),
                PRIMARY KEY (line_no, order_id));
            CREATE TABLE no_key (a INT, b INT NOT NULL);
            CREATE VIEW big_orders AS SELECT id, name FROM orders WHERE id > 10;
            """, database: "catalog")
        try server.createDatabase("other")
        try server.execute("CREATE TABLE elsewhere (x INT)", database: "other")

        let tables = try db.tables(types: ["TABLE"])
        #expect(tables.map(\.description) == ["catalog.no_key", "catalog.order_lines", "catalog.orders"])
        #expect(tables.allSatisfy { $0.catalog == "catalog" && $0.schema == nil })
        #expect(
            try db.tables(types: ["TABLE", "VIEW"]).map(\.name) == ["big_orders", "no_key", "order_lines", "orders"])
        #expect(try db.tables(types: ["VIEW"]).map(\.name) == ["big_orders"])
        #expect(try db.tables(types: ["SYNONYM"]).isEmpty)

        let orders = try db.describe(SQLTableName(catalog: "catalog", name: "orders"))
        #expect(orders.columns == ["id", "name", "note", "updated"])
        #expect(orders.notNull == ["id", "name"])
        #expect(orders.autoIncrement == "id")
        #expect(orders.primaryKey == ["id"])

        let lines = try db.describe(SQLTableName(name: "order_lines"))
        #expect(lines.columns == ["order_id", "line_no", "qty", "comment"])
        #expect(lines.notNull == ["order_id", "line_no", "qty"])
        #expect(lines.autoIncrement == nil)
        #expect(lines.primaryKey == ["line_no", "order_id"])

        let view = try db.describe(SQLTableName(catalog: "catalog", name: "big_orders"))
        #expect(view.columns == ["id", "name"])
        #expect(view.primaryKey.isEmpty)
        #expect(view.autoIncrement == nil)

        let noKey = try db.describe(SQLTableName(catalog: "catalog", name: "no_key"))
        #expect(noKey.primaryKey.isEmpty)
        #expect(noKey.notNull == ["b"])

        // Another database's table, named with its catalog.
        #expect(try db.describe(SQLTableName(catalog: "other", name: "elsewhere")).columns == ["x"])

        #expect(throws: SQLError.noSuchTable("catalog.missing")) {
            try db.describe(SQLTableName(catalog: "catalog", name: "missing"))
        }
        #expect(throws: SQLError.noSuchTable("missing")) { try db.describe(SQLTableName(name: "missing")) }
    }

    @Test func nowIsCloseToTheLocalClock() throws {
        let db = try connect("clock")
        let now = try db.now()
        let local = Date().timeIntervalSince1970
        #expect(abs(Double(now.seconds) + Double(now.nanos) / 1e9 - local) < 5)
    }

    /// Row `seq` of the `items` table `makeItems` creates: every column's expected
    /// text (or bytes), nil for NULL.
    static func expectedItem(_ seq: Int) -> [[UInt8]?] {
        let base: Int64 = 1_704_067_200  // 2024-01-01 00:00:00 UTC
        let created = SQLTimestamp(seconds: base + Int64(seq), nanos: Int32(seq % 1000) * 1000).text(fractionDigits: 6)
        let day = String(SQLTimestamp(seconds: base + Int64(seq % 365) * 86_400).text(fractionDigits: 0).prefix(10))
        let payload: [UInt8]? =
            seq % 11 == 0 ? nil : [0x00, 0xFF] + withUnsafeBytes(of: UInt32(seq).bigEndian) { Array($0) }
        let note = seq == 12_345 ? String(repeating: "abcdefghij", count: 10_000) + "#12345" : "n\(seq)"
        let texts: [String?] = [
            "\(seq)", "\(seq % 100 - 50)", seq % 5 == 0 ? nil : "\(seq % 2)", seq % 7 == 0 ? nil : "\(seq).25",
            "\(Double(seq) / 4)", created, day, seq % 3 == 0 ? nil : "item-\(seq)-é✓", nil,
            "\(UInt64.max - UInt64(seq))", note,
        ]
        var values = texts.map { $0.map { Array($0.utf8) } }
        values[8] = payload
        return values
    }

    /// Creates `items` with 25,000 rows of many types.
    func makeItems(_ db: MariaDBDatabase) throws {
        try db.execute(
            """
            CREATE TABLE items (
                id BIGINT NOT NULL PRIMARY KEY, small TINYINT NOT NULL, flag TINYINT(1) NULL, amount DECIMAL(10,2) NULL,
                ratio DOUBLE NULL, created DATETIME(6) NOT NULL, day DATE NULL, label VARCHAR(100) NULL, payload BLOB NULL,
                counter BIGINT UNSIGNED NULL, note LONGTEXT NULL)
            """)
        try db.execute(
            """
            INSERT INTO items SELECT seq, seq % 100 - 50, IF(seq % 5 = 0, NULL, seq % 2), IF(seq % 7 = 0, NULL, seq + 0.25),
                seq / 4e0, TIMESTAMP('2024-01-01 00:00:00') + INTERVAL seq SECOND + INTERVAL (seq % 1000) MICROSECOND,
                DATE('2024-01-01') + INTERVAL (seq % 365) DAY, IF(seq % 3 = 0, NULL, CONCAT('item-', seq, '-é✓')),
                IF(seq % 11 = 0, NULL, UNHEX(CONCAT('00FF', LPAD(HEX(seq), 8, '0')))), 18446744073709551615 - seq,
                IF(seq = 12345, CONCAT(REPEAT('abcdefghij', 10000), '#12345'), CONCAT('n', seq))
            FROM (SELECT CAST(seq AS SIGNED) AS seq FROM seq_1_to_25000) AS numbers
            """)
    }

    @Test func streamsManyRowsWithParameters() throws {
        let db = try connect("stream")
        try makeItems(db)
        let started = ContinuousClock.now
        var columns: [SQLColumn] = []
        var count = 0
        var previous = 100
        var mismatches: [String] = []
        var sawLongNote = false
        try db.query(
            "SELECT id, small, flag, amount, ratio, created, day, label, payload, counter, note FROM items WHERE id > ? AND created < ? ORDER BY id",
            parameters: [.int64(100), .timestamp(SQLTimestamp("2024-01-01 06:00:00")!)], fetchSize: 1000,
            columns: { columns = $0 },
            row: { row in
                count += 1
                let id = Int(String(decoding: row.bytes(0)!, as: UTF8.self))!
                if id != previous + 1 { mismatches.append("row \(count): id \(id) after \(previous)") }
                previous = id
                let expected = Self.expectedItem(id)
                for column in 0..<expected.count {
                    let actual = row.bytes(column).map { Array($0) }
                    #expect(row.isNull(column) == (actual == nil))
                    let same =
                        column == 4
                        ? actual.flatMap { Double(String(decoding: $0, as: UTF8.self)) } == Double(id) / 4
                        : actual == expected[column]
                    if !same && mismatches.count < 10 {
                        mismatches.append(
                            "id \(id) column \(column): \(actual.map { String(decoding: $0.prefix(80), as: UTF8.self) } ?? "NULL")"
                        )
                    }
                }
                if id == 12_345 { sawLongNote = row.bytes(10)?.count == 100_006 }
                return true
            })
        // Rows 101 through 21,599: row 21,600 is at 06:00:00.000600.
        #expect(count == 21_499)
        #expect(previous == 21_599)
        #expect(mismatches.isEmpty, "\(mismatches)")
        #expect(sawLongNote)
        #expect(
            columns.map(\.name) == [
                "id", "small", "flag", "amount", "ratio", "created", "day", "label", "payload", "counter", "note",
            ])
        #expect(
            columns.map(\.type) == [
                .int64, .int8, .boolean, .decimal(precision: 10, scale: 2), .float64, .timestamp, .date, .string,
                .bytes,
                .decimal(precision: 20, scale: 0), .string,
            ])
        #expect(columns.map(\.nullable) == [false, false, true, true, true, false, true, true, true, true, true])
        #expect(
            columns.map(\.typeName) == [
                "BIGINT", "TINYINT", "TINYINT(1)", "DECIMAL", "DOUBLE", "DATETIME", "DATE", "VARCHAR", "BLOB",
                "BIGINT UNSIGNED", "LONGTEXT",
            ])
        print("MariaDB: streamed \(count) rows in \(ContinuousClock.now - started)")
    }

    /// The first row arrives while the server is still sending the rest (25 MB, more
    /// than the sockets buffer): the result is streamed, not stored first.
    @Test func rowsArriveWhileTheServerStillSends() throws {
        let db = try connect("unbuffered")
        try db.execute("CREATE TABLE numbers (id INT PRIMARY KEY)")
        try db.execute("INSERT INTO numbers SELECT seq FROM seq_1_to_25000")
        let watcher = try MariaDBDatabase(
            url: JdbcURL(server.url(database: "unbuffered")), user: server.user, password: server.password,
            connectTimeoutSeconds: 5)
        var connectionID: Int64 = 0
        try db.query(
            "SELECT CONNECTION_ID()", parameters: [], fetchSize: 1, columns: { _ in },
            row: { row in
                connectionID = Int64(String(decoding: row.bytes(0)!, as: UTF8.self))!
                return true
            })
        var commandDuringFirstRow: String?
        var rows = 0
        try db.query(
            "SELECT id, REPEAT('x', 1000) FROM numbers ORDER BY id", parameters: [], fetchSize: 100, columns: { _ in },
            row: { row in
                rows += 1
                if rows == 1 {
                    try watcher.query(
                        "SELECT COMMAND FROM information_schema.PROCESSLIST WHERE ID = ?",
                        parameters: [.int64(connectionID)],
                        fetchSize: 1, columns: { _ in },
                        row: { process in
                            commandDuringFirstRow = process.bytes(0).map { String(decoding: $0, as: UTF8.self) }
                            return true
                        })
                }
                return true
            })
        #expect(rows == 25_000)
        #expect(commandDuringFirstRow == "Execute")
    }

    @Test func earlyStopLeavesTheConnectionUsable() throws {
        let db = try connect("early")
        try makeItems(db)
        var seen = 0
        try db.query(
            "SELECT id, note FROM items ORDER BY id", parameters: [], fetchSize: 100, columns: { _ in },
            row: { _ in
                seen += 1
                return seen < 10
            })
        #expect(seen == 10)
        // A throwing row callback also leaves it usable.
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try db.query(
                "SELECT id FROM items", parameters: [], fetchSize: 100, columns: { _ in },
                row: { _ in throw Stop() })
        }
        var total: String?
        try db.query(
            "SELECT COUNT(*), SUM(id) FROM items WHERE id <= ?", parameters: [.int64(25_000)], fetchSize: 1,
            columns: { _ in },
            row: { row in
                total = row.bytes(0).map { String(decoding: $0, as: UTF8.self) }
                #expect(row.bytes(1).map { String(decoding: $0, as: UTF8.self) } == "312512500")
                return true
            })
        #expect(total == "25000")
        #expect(try db.now().seconds > 0)
        try db.execute("DELETE FROM items WHERE id > 10")
    }

    @Test func queryErrorsNameTheStatement() throws {
        let db = try connect("errors")
        let sql = "SELECT nope FROM missing_table WHERE a = ?"
        let error = try #require(throws: SQLError.self) {
            try db.query(sql, parameters: [.int64(1)], fetchSize: 10, columns: { _ in }, row: { _ in true })
        }
        guard case .query(let database, let failedSQL, let reason) = error else {
            Issue.record("expected a query error, got \(error)")
            return
        }
        #expect(database == "MariaDB")
        #expect(failedSQL == sql)
        #expect(reason.contains("missing_table"))
        // Placeholder and parameter counts must agree.
        #expect(throws: SQLError.self) {
            try db.query("SELECT ?", parameters: [], fetchSize: 10, columns: { _ in }, row: { _ in true })
        }
        #expect(throws: SQLError.self) { try db.execute("CREATE TABLE broken (") }
        // Text parameters, and the connection still works after the errors.
        var echoed: [String?] = []
        try db.query(
            "SELECT ?, ?, CAST(? AS DATETIME(6))",
            parameters: [.text("héllo 🦊"), .int64(-7), .timestamp(SQLTimestamp(seconds: 0, nanos: 5000))],
            fetchSize: 1, columns: { _ in },
            row: { row in
                echoed = (0..<3).map { row.bytes($0).map { String(decoding: $0, as: UTF8.self) } }
                return true
            })
        #expect(echoed == ["héllo 🦊", "-7", "1970-01-01 00:00:00.000005"])
    }

    @Test func unsupportedAndBinaryTypes() throws {
        let db = try connect("types")
        try db.execute(
            """
            CREATE TABLE shapes (id INT UNSIGNED NOT NULL PRIMARY KEY, spot POINT NOT NULL, bits BIT(8), code BINARY(3), yr YEAR,
                at TIME(3), stamp TIMESTAMP(6) NULL, f FLOAT, kind ENUM('a','b'), doc JSON, m MEDIUMINT, s SMALLINT UNSIGNED)
            """)
        try db.execute(
            """
            INSERT INTO shapes VALUES (1, ST_GeomFromText('POINT(1 2)'), b'10100101', 'ab', 2024, '12:34:56.789',
                '2024-02-29 23:59:59.123456', 1.5, 'b', '{"k": 1}', -8388608, 65535)
            """)
        var columns: [SQLColumn] = []
        var values: [[UInt8]?] = []
        try db.query(
            "SELECT * FROM shapes", parameters: [], fetchSize: 10, columns: { columns = $0 },
            row: { row in
                values = (0..<columns.count).map { row.bytes($0).map { Array($0) } }
                return true
            })
        #expect(
            columns.map(\.type) == [
                .int64, .unsupported, .bytes, .bytes, .int16, .time, .timestamp, .float32, .string, .string, .int32,
                .int32,
            ])
        #expect(columns[1].typeName == "POINT")
        #expect(columns[1].nullable == false)
        #expect(
            columns.map(\.typeName)[2...] == [
                "BIT", "BINARY", "YEAR", "TIME", "TIMESTAMP", "FLOAT", "ENUM", "JSON", "MEDIUMINT", "SMALLINT UNSIGNED",
            ])
        #expect(values.count == 12)
        #expect(values[1].map { $0.count } == 25)  // SRID (4 bytes) + WKB point (21 bytes)
        #expect(values[2] == [0xA5])
        #expect(values[3] == [0x61, 0x62, 0x00])
        let texts = values.map { $0.map { String(decoding: $0, as: UTF8.self) } }
        #expect(texts[0] == "1")
        #expect(texts[4] == "2024")
        #expect(texts[5] == "12:34:56.789")
        #expect(texts[6] == "2024-02-29 23:59:59.123456")
        #expect(texts[7].flatMap { Double($0) } == 1.5)
        #expect(texts[8] == "b")
        #expect(texts[9] == "{\"k\": 1}")
        #expect(texts[10] == "-8388608")
        #expect(texts[11] == "65535")
    }
}

/// ``MariaDBColumnType`` without a server.
@Suite struct MariaDBColumnTypeTests {
    /// A field's metadata and what it maps to.
    struct Case: Sendable, CustomStringConvertible {
        var type: enum_field_types
        var flags: Int32 = 0
        var length: UInt64
        var decimals: UInt32 = 0
        var charset: UInt32 = MariaDBColumnType.binaryCharset
        var expected: SQLType
        var name: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(type: MYSQL_TYPE_TINY, length: 4, expected: .int8, name: "TINYINT"),
        Case(type: MYSQL_TYPE_TINY, length: 1, expected: .boolean, name: "TINYINT(1)"),
        Case(type: MYSQL_TYPE_TINY, flags: UNSIGNED_FLAG, length: 3, expected: .int16, name: "TINYINT UNSIGNED"),
        Case(type: MYSQL_TYPE_SHORT, length: 6, expected: .int16, name: "SMALLINT"),
        Case(type: MYSQL_TYPE_LONG, length: 11, expected: .int32, name: "INT"),
        Case(type: MYSQL_TYPE_LONG, flags: UNSIGNED_FLAG, length: 10, expected: .int64, name: "INT UNSIGNED"),
        Case(type: MYSQL_TYPE_LONGLONG, length: 20, expected: .int64, name: "BIGINT"),
        Case(
            type: MYSQL_TYPE_LONGLONG, flags: UNSIGNED_FLAG, length: 20, expected: .decimal(precision: 20, scale: 0),
            name: "BIGINT UNSIGNED"),
        Case(type: MYSQL_TYPE_FLOAT, length: 12, decimals: 31, expected: .float32, name: "FLOAT"),
        Case(
            type: MYSQL_TYPE_NEWDECIMAL, length: 12, decimals: 2, expected: .decimal(precision: 10, scale: 2),
            name: "DECIMAL"),
        Case(
            type: MYSQL_TYPE_NEWDECIMAL, flags: UNSIGNED_FLAG, length: 11, decimals: 2,
            expected: .decimal(precision: 10, scale: 2), name: "DECIMAL UNSIGNED"),
        Case(type: MYSQL_TYPE_NEWDECIMAL, length: 19, expected: .decimal(precision: 18, scale: 0), name: "DECIMAL"),
        Case(type: MYSQL_TYPE_VAR_STRING, length: 400, charset: 45, expected: .string, name: "VARCHAR"),
        Case(type: MYSQL_TYPE_VAR_STRING, length: 16, expected: .bytes, name: "VARBINARY"),
        Case(type: MYSQL_TYPE_STRING, flags: ENUM_FLAG, length: 4, charset: 45, expected: .string, name: "ENUM"),
        Case(type: MYSQL_TYPE_STRING, flags: SET_FLAG, length: 12, charset: 45, expected: .string, name: "SET"),
        Case(type: MYSQL_TYPE_BLOB, flags: BLOB_FLAG, length: 65535, expected: .bytes, name: "BLOB"),
        Case(type: MYSQL_TYPE_BLOB, flags: BLOB_FLAG, length: 262_140, charset: 45, expected: .string, name: "TEXT"),
        Case(type: MYSQL_TYPE_BLOB, flags: BLOB_FLAG, length: 255, expected: .bytes, name: "TINYBLOB"),
        Case(
            type: MYSQL_TYPE_BLOB, flags: BLOB_FLAG, length: 16_777_215, charset: 8, expected: .string,
            name: "MEDIUMTEXT"),
        Case(type: MYSQL_TYPE_BLOB, flags: BLOB_FLAG, length: 4_294_967_295, expected: .bytes, name: "LONGBLOB"),
        Case(type: MYSQL_TYPE_DATE, length: 10, expected: .date, name: "DATE"),
        Case(type: MYSQL_TYPE_TIME, length: 10, expected: .time, name: "TIME"),
        Case(type: MYSQL_TYPE_DATETIME, length: 26, decimals: 6, expected: .timestamp, name: "DATETIME"),
        Case(type: MYSQL_TYPE_TIMESTAMP, length: 19, expected: .timestamp, name: "TIMESTAMP"),
        Case(type: MYSQL_TYPE_YEAR, flags: UNSIGNED_FLAG, length: 4, expected: .int16, name: "YEAR"),
        Case(type: MYSQL_TYPE_BIT, flags: UNSIGNED_FLAG, length: 8, expected: .bytes, name: "BIT"),
        Case(type: MYSQL_TYPE_GEOMETRY, length: 0, expected: .unsupported, name: "GEOMETRY"),
        Case(type: MYSQL_TYPE_NULL, length: 0, expected: .unsupported, name: "NULL"),
    ]

    @Test(arguments: cases)
    func maps(_ field: Case) {
        let (mapped, typeName) = MariaDBColumnType.map(
            type: field.type, flags: UInt32(field.flags), length: field.length, decimals: field.decimals,
            charset: field.charset)
        #expect(mapped == field.expected)
        #expect(typeName == field.name)
    }

    @Test func extendedNameWins() {
        let (type, name) = MariaDBColumnType.map(
            type: MYSQL_TYPE_GEOMETRY, flags: 0, length: 0, decimals: 0, charset: 63, extendedName: "point")
        #expect(type == .unsupported)
        #expect(name == "POINT")
    }
}
