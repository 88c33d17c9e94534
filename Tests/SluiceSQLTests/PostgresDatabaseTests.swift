import Foundation
import Testing

@testable import SluiceSQL

/// PostgresDatabase against a real, private PostgreSQL server (see ``PostgresServer``).
@Suite(.privatePostgresServer)
struct PostgresDatabaseTests {
    private var server: PostgresServer {
        get throws { try #require(PostgresServer.current, "the suite's server did not start") }
    }

    /// A connection to a new, empty database, and the database's name.
    private func freshDatabase() throws -> (PostgresDatabase, String) {
        let server = try server
        let name = try server.createDatabase()
        return (try server.connect(database: name), name)
    }

    // MARK: Connecting

    @Test func connectsWithTheRightPasswordAndSetsUpTheSession() throws {
        let server = try server
        let db = try server.connect()
        #expect(db.dialect.name == "PostgreSQL")
        #expect(db.dialect.quoted("a\"b") == "\"a\"\"b\"")
        #expect(db.dialect.placeholder(2) == "$2")
        #expect(db.dialect.timestampExpression("\"ts\"") == "\"ts\"")
        let settings = try collect(
            db, "SELECT current_setting('application_name'), current_setting('TimeZone'), current_user")
        #expect(settings.rows == [["sluice", "UTC", "sluice"]])

        // Credentials may come from the URL too.
        let url = try JdbcURL(
            server.url(database: "postgres") + "?user=sluice&password=\(server.password)&loggerLevel=OFF")
        let viaURL = try PostgresDatabase(url: url, user: nil, password: nil, connectTimeoutSeconds: 5)
        #expect(try collect(viaURL, "SELECT 40 + 2").rows == [["42"]])
    }

    @Test func wrongPasswordNamesUserAndHostButNeverThePassword() throws {
        let server = try server
        let wrong = "Wrong-Pass-4711"
        let url = try JdbcURL(server.url(database: "postgres"))
        let error = #expect(throws: SQLError.self) {
            try PostgresDatabase(url: url, user: "sluice", password: wrong, connectTimeoutSeconds: 5)
        }
        guard case .connection(let database, let target, let reason)? = error else {
            Issue.record("expected a connection error, got \(String(describing: error))")
            return
        }
        #expect(database == "PostgreSQL")
        #expect(target == "sluice@127.0.0.1:\(server.port)/postgres")
        #expect(reason.contains("password authentication failed for user \"sluice\""))
        let message = "\(error!)"
        #expect(message.hasPrefix("cannot connect to PostgreSQL at sluice@127.0.0.1:\(server.port)/postgres: "))
        #expect(!message.contains(wrong))
        #expect(!message.contains(server.password))
    }

    @Test func unreachablePortIsAConnectionError() throws {
        let port = try PostgresServer.freePort()
        let url = try JdbcURL("jdbc:postgresql://127.0.0.1:\(port)/shop?password=Url-Secret-99")
        let error = #expect(throws: SQLError.self) {
            try PostgresDatabase(url: url, user: "reader", password: nil, connectTimeoutSeconds: 2)
        }
        guard case .connection(let database, let target, let reason)? = error else {
            Issue.record("expected a connection error, got \(String(describing: error))")
            return
        }
        #expect(database == "PostgreSQL")
        #expect(target == "reader@127.0.0.1:\(port)/shop")
        #expect(reason.contains("Connection refused"))
        #expect(!"\(error!)".contains("Url-Secret-99"))
    }

    @Test func closeIsIdempotentAndLaterCallsFail() throws {
        let server = try server
        let db = try server.connect()
        db.close()
        db.close()
        let target = "sluice@127.0.0.1:\(server.port)/postgres"
        #expect(throws: SQLError.connection(database: "PostgreSQL", target: target, reason: "the connection is closed"))
        {
            try db.execute("SELECT 1")
        }
    }

    // MARK: Catalog

    @Test func listsAndDescribesTables() throws {
        let (db, name) = try freshDatabase()
        try db.execute(
            """
            CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, note varchar(20));
            CREATE TABLE pairs (a int, b text, c int NOT NULL, d date, PRIMARY KEY (b, a));
            CREATE TABLE tickets (id bigint GENERATED ALWAYS AS IDENTITY, v int);
            CREATE VIEW item_names AS SELECT name FROM items;
            CREATE SCHEMA other;
            CREATE TABLE other.things (x int);
            """)
        func table(_ schema: String, _ table: String) -> SQLTableName {
            SQLTableName(catalog: name, schema: schema, name: table)
        }

        #expect(
            try db.tables(types: ["TABLE"]) == [
                table("other", "things"), table("public", "items"), table("public", "pairs"),
                table("public", "tickets"),
            ])
        #expect(try db.tables(types: ["VIEW"]) == [table("public", "item_names")])
        #expect(try db.tables(types: ["TABLE", "VIEW"]).count == 5)
        #expect(try db.tables(types: ["SYNONYM"]) == [])

        #expect(
            try db.describe(table("public", "items"))
                == SQLTableDescription(
                    columns: ["id", "name", "note"], notNull: ["id", "name"], autoIncrement: "id", primaryKey: ["id"]))
        #expect(
            try db.describe(table("public", "pairs"))
                == SQLTableDescription(
                    columns: ["a", "b", "c", "d"], notNull: ["a", "b", "c"], autoIncrement: nil, primaryKey: ["b", "a"])
        )
        #expect(
            try db.describe(table("public", "tickets"))
                == SQLTableDescription(columns: ["id", "v"], notNull: ["id"], autoIncrement: "id", primaryKey: []))
        #expect(
            try db.describe(table("public", "item_names"))
                == SQLTableDescription(columns: ["name"], notNull: [], autoIncrement: nil, primaryKey: []))
        #expect(try db.describe(table("other", "things")).columns == ["x"])
        // Without a schema, the current schema.
        #expect(try db.describe(SQLTableName(name: "pairs")).primaryKey == ["b", "a"])

        #expect(throws: SQLError.noSuchTable("\(name).public.missing")) { try db.describe(table("public", "missing")) }
        #expect(throws: SQLError.noSuchTable("\(name).public.things")) { try db.describe(table("public", "things")) }
    }

    @Test func nowIsTheServerClockInUTC() throws {
        let db = try server.connect()
        let before = Date().timeIntervalSince1970
        let now = try db.now()
        let after = Date().timeIntervalSince1970
        let seconds = Double(now.seconds) + Double(now.nanos) / 1e9
        // Same machine: within a second of the local clock (the server's default zone is +05:30).
        #expect(seconds > before - 1 && seconds < after + 1, "server \(now), local \(before)")
        #expect(now.nanos % 1000 == 0)
    }

    // MARK: Queries

    /// 25,000 rows of many types; row `i` is predictable from `i`.
    private static let eventsTable = """
        CREATE TABLE events (id bigint PRIMARY KEY, name text, flag boolean, amount numeric(10,2), ratio float8,
            small int2, data bytea, ts timestamp, tstz timestamptz, d date, t time, u uuid, j jsonb, v varchar(10));
        INSERT INTO events SELECT i,
            CASE WHEN i % 7 = 0 THEN NULL ELSE 'name-' || i END,
            CASE WHEN i % 11 = 0 THEN NULL ELSE i % 2 = 0 END,
            CASE WHEN i % 13 = 0 THEN NULL ELSE i * 1.25 END,
            i / 4.0,
            i % 1000,
            CASE WHEN i % 19 = 0 THEN NULL WHEN i % 17 = 0 THEN ''::bytea ELSE decode(lpad(to_hex(i), 8, '0'), 'hex') END,
            timestamp '2024-01-01 00:00:00' + i * interval '1 second' + (i % 1000) * interval '1 microsecond',
            (timestamp '2024-01-01 00:00:00' + i * interval '1 second' + (i % 1000) * interval '1 microsecond') AT TIME ZONE 'UTC',
            date '2024-01-01' + i % 365,
            time '00:00:00' + (i % 86400) * interval '1 second',
            ('00000000-0000-0000-0000-' || lpad(i::text, 12, '0'))::uuid,
            jsonb_build_object('i', i),
            'v' || i % 10
        FROM generate_series(1, 25000) AS i;
        """

    @Test("a stream read over many calls keeps a refused row for the next, and ends when closed or when another statement runs")
    func rowStreamContract() throws {
        let (db, _) = try freshDatabase()
        try db.execute("CREATE TABLE numbers (id bigint PRIMARY KEY, label text NOT NULL); INSERT INTO numbers SELECT g, 'n-' || g FROM generate_series(1, 2500) g")
        try SQLRowStreamContract.check(db, count: 2500)
    }

    @Test func streamsAQueryWithParametersInFetchSizeBatches() throws {
        let (db, _) = try freshDatabase()
        try db.execute(Self.eventsTable)
        let sql = "SELECT * FROM events WHERE id > $1 AND ts < $2 ORDER BY id"
        let until = try #require(SQLTimestamp("2024-01-01 05:00:00"))
        var columnCalls = 0
        var columns: [SQLColumn] = []
        var count = 0
        var lastID = 10
        var sampled: [Int: [String?]] = [:]
        let samples: Set = [11, 12, 14, 22, 26, 34, 38, 1001, 1002, 17_999]
        try db.query(sql, parameters: [.int64(10), .timestamp(until)], fetchSize: 1000) {
            columnCalls += 1
            columns = $0
        } row: { row in
            count += 1
            let id = try #require(Int(text(row, 0) ?? ""))
            #expect(id == lastID + 1)
            lastID = id
            // Every row's bytea (4 bytes, big-endian id) and timestamps.
            if id % 19 != 0 {
                let bytes = try #require(row.bytes(6))
                let expected: [UInt8] =
                    id % 17 == 0
                    ? [] : [UInt8(id >> 24 & 0xff), UInt8(id >> 16 & 0xff), UInt8(id >> 8 & 0xff), UInt8(id & 0xff)]
                #expect(Array(bytes) == expected, "row \(id)")
            }
            let ts = try #require(row.bytes(7).flatMap { SQLTimestamp(text: $0) })
            let tstz = try #require(row.bytes(8).flatMap { SQLTimestamp(text: $0) })
            #expect(ts == SQLTimestamp(seconds: 1_704_067_200 + Int64(id), nanos: Int32(id % 1000) * 1000))
            #expect(tstz == ts)
            if samples.contains(id) {
                sampled[id] = (0..<14).map { row.isNull($0) ? nil : text(row, $0, hex: $0 == 6) }
            }
            return true
        }
        #expect(columnCalls == 1)
        #expect(count == 17_989)
        #expect(lastID == 17_999)
        #expect(
            columns == [
                SQLColumn(name: "id", type: .int64, typeName: "int8"),
                SQLColumn(name: "name", type: .string, typeName: "text"),
                SQLColumn(name: "flag", type: .boolean, typeName: "bool"),
                SQLColumn(name: "amount", type: .decimal(precision: 10, scale: 2), typeName: "numeric"),
                SQLColumn(name: "ratio", type: .float64, typeName: "float8"),
                SQLColumn(name: "small", type: .int16, typeName: "int2"),
                SQLColumn(name: "data", type: .bytes, typeName: "bytea"),
                SQLColumn(name: "ts", type: .timestamp, typeName: "timestamp"),
                SQLColumn(name: "tstz", type: .timestamp, typeName: "timestamptz"),
                SQLColumn(name: "d", type: .date, typeName: "date"),
                SQLColumn(name: "t", type: .time, typeName: "time"),
                SQLColumn(name: "u", type: .string, typeName: "uuid"),
                SQLColumn(name: "j", type: .string, typeName: "jsonb"),
                SQLColumn(name: "v", type: .string, typeName: "varchar"),
            ])
        #expect(
            sampled[12] == [
                "12", "name-12", "t", "15.00", "3", "12", "0000000c", "2024-01-01 00:00:12.000012",
                "2024-01-01 00:00:12.000012+00", "2024-01-13", "00:00:12", "00000000-0000-0000-0000-000000000012",
                "{\"i\": 12}", "v2",
            ])
        #expect(sampled[11]?[2] == nil && sampled[11]?[1] == "name-11" && sampled[11]?[4] == "2.75")
        #expect(sampled[14]?[1] == nil && sampled[14]?[2] == "t")
        #expect(sampled[22]?[2] == nil)
        #expect(sampled[26]?[3] == nil && sampled[26]?[2] == "t")
        #expect(sampled[34]?[6] == "")
        #expect(sampled[38]?[6] == nil)
        #expect(sampled[1001]?[7] == "2024-01-01 00:16:41.000001" && sampled[1001]?[3] == nil)
        #expect(sampled[1002]?[3] == "1252.50" && sampled[1002]?[4] == "250.5" && sampled[1002]?[6] == "000003ea")
        #expect(
            sampled[17_999]?[9] == "2024-04-24" && sampled[17_999]?[10] == "04:59:59" && sampled[17_999]?[5] == "999")
    }

    @Test func deliversRowsAsTheyArriveAndReportsALateError() throws {
        let db = try server.connect()
        // Row 4500 divides by zero: the COPY fails there, after the 4,499 rows before it.
        let sql = "SELECT g, 1 / (g - 4500) AS q FROM generate_series(1, 10000) AS g"
        var delivered = 0
        let error = #expect(throws: SQLError.self) {
            try db.query(
                sql, parameters: [], fetchSize: 1000, columns: { _ in },
                row: { _ in
                    delivered += 1
                    return true
                })
        }
        #expect(delivered == 4499)
        guard case .query(let database, let reportedSQL, let reason)? = error else {
            Issue.record("expected a query error, got \(String(describing: error))")
            return
        }
        #expect(database == "PostgreSQL")
        #expect(reportedSQL == sql)
        #expect(reason == "division by zero (SQLSTATE 22012)")
        // The failed transaction was rolled back: the connection works.
        #expect(try collect(db, "SELECT 7").rows == [["7"]])
    }

    @Test func stoppingEarlyLeavesTheConnectionUsable() throws {
        let (db, name) = try freshDatabase()
        try db.execute(Self.eventsTable)
        var seen: [String?] = []
        try db.query(
            "SELECT id FROM events ORDER BY id", parameters: [], fetchSize: 100, columns: { _ in },
            row: { row in
                seen.append(text(row, 0))
                return seen.count < 10
            })
        #expect(seen == (1...10).map { String($0) })
        // No transaction is left open: what this connection creates now, another one sees.
        try db.execute("CREATE TABLE after_stop (x int)")
        let other = try server.connect(database: name)
        #expect(try other.tables(types: ["TABLE"]).map(\.name) == ["after_stop", "events"])
        #expect(try collect(db, "SELECT count(*) FROM events").rows == [["25000"]])
    }

    /// Stopping inside a result far too large to read to its end: the COPY is cancelled
    /// (reading the two billion rows instead would outlast the time limit by hours).
    @Test(.timeLimit(.minutes(1)))
    func stoppingInsideAHugeResultCancelsItAndLeavesTheConnectionUsable() throws {
        let db = try server.connect()
        var seen = 0
        try db.query(
            "SELECT generate_series(1, 2000000000) AS g", parameters: [], fetchSize: 10_000, columns: { _ in },
            row: { _ in
                seen += 1
                return seen < 1500
            })
        #expect(seen == 1500)
        #expect(try collect(db, "SELECT 7").rows == [["7"]])
        // A row callback that throws ends the query the same way, with its own error.
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try db.query(
                "SELECT generate_series(1, 2000000000) AS g", parameters: [], fetchSize: 10_000, columns: { _ in },
                row: { _ in throw Stop() })
        }
        #expect(try collect(db, "SELECT 8").rows == [["8"]])
        // All 25,000 rows of a table, in order, after both.
        try db.execute("CREATE TEMP TABLE numbers AS SELECT g AS id FROM generate_series(1, 25000) AS g")
        var ids: [Int] = []
        try db.query(
            "SELECT id FROM numbers ORDER BY id", parameters: [], fetchSize: 10_000, columns: { _ in },
            row: { row in
                ids.append(Int(text(row, 0) ?? "") ?? -1)
                return true
            })
        #expect(ids == Array(1...25_000))
    }

    @Test func stoppingEarlyInsideTheCallersTransactionKeepsItUsable() throws {
        let db = try server.connect()
        try db.execute("BEGIN; CREATE TEMP TABLE kept AS SELECT g AS id FROM generate_series(1, 30000) AS g")
        var seen = 0
        try db.query(
            "SELECT id FROM kept ORDER BY id", parameters: [], fetchSize: 100, columns: { _ in },
            row: { _ in
                seen += 1
                return seen < 10
            })
        #expect(seen == 10)
        // Not cancelled (that would abort the transaction): the transaction goes on.
        try db.execute("INSERT INTO kept VALUES (30001)")
        #expect(try collect(db, "SELECT count(*) FROM kept").rows == [["30001"]])
        try db.execute("ROLLBACK")
    }

    /// Text that COPY's text format escapes comes back as it was stored.
    @Test func valuesCOPYEscapesComeBackUnchanged() throws {
        let db = try server.connect()
        let tricky = ["tab\there", "line\nbreak", "back\\slash", "cr\r", "\\N", "", "bs\u{8} ff\u{c} vt\u{b}", "\\\\\t\\"]
        for value in tricky {
            let rows = try collect(
                db, "SELECT $1::text AS v, decode('095c0a00ff', 'hex') AS b, NULL::text AS n, ''::text AS e",
                [.text(value)]
            ).rows
            #expect(rows == [[value, "095c0a00ff", nil, ""]], "\(value.debugDescription)")
        }
    }

    /// Parameters are written into the COPY as literals; placeholders in strings,
    /// comments and quoted names are not parameters.
    @Test func parametersBecomeLiteralsOnlyWherePostgreSQLReadsPlaceholders() throws {
        let db = try server.connect()
        let result = try collect(
            db,
            """
            SELECT $1::text AS a, '$1' AS "b$1", $$ $2 $$ AS c, $2::bigint + 1 AS d, $3::timestamp AS e -- $4
            /* $4 /* nested $4 */ */ WHERE $2 > -1
            """,
            [.text("it's; \\ $2"), .int64(41), .timestamp(try #require(SQLTimestamp("2024-02-03 04:05:06.789")))])
        #expect(result.columns.map(\.name) == ["a", "b$1", "c", "d", "e"])
        #expect(result.rows == [["it's; \\ $2", "$1", " $2 ", "42", "2024-02-03 04:05:06.789"]])
    }

    @Test func aQueryInsideTheCallersTransactionLeavesItOpen() throws {
        let (db, name) = try freshDatabase()
        try db.execute("BEGIN; CREATE TABLE scratch (x int); INSERT INTO scratch VALUES (1), (2), (3)")
        #expect(try collect(db, "SELECT x FROM scratch ORDER BY x", fetchSize: 2).rows == [["1"], ["2"], ["3"]])
        try db.execute("ROLLBACK")
        #expect(throws: SQLError.noSuchTable("\(name).public.scratch")) {
            try db.describe(SQLTableName(catalog: name, schema: "public", name: "scratch"))
        }
    }

    @Test func reportsColumnsOnceForAnEmptyResult() throws {
        let db = try server.connect()
        var calls: [[SQLColumn]] = []
        var rows = 0
        try db.query("SELECT 1::int4 AS one, 'x'::text AS two WHERE false", parameters: [], fetchSize: 10) {
            calls.append($0)
        } row: { _ in
            rows += 1
            return true
        }
        #expect(
            calls == [
                [
                    SQLColumn(name: "one", type: .int32, typeName: "int4"),
                    SQLColumn(name: "two", type: .string, typeName: "text"),
                ]
            ])
        #expect(rows == 0)
    }

    @Test func mapsNumericModifiersAndNamesUnsupportedTypes() throws {
        let (db, _) = try freshDatabase()
        try db.execute(
            """
            CREATE TABLE shapes (id int, p point, span interval, list int[], f real, whole numeric, rounded numeric(5,-2));
            INSERT INTO shapes VALUES (1, '(1,2)', '1 day', '{1,2}', 0.5, 12.345, 12345);
            """)
        let result = try collect(db, "SELECT * FROM shapes")
        #expect(
            result.columns == [
                SQLColumn(name: "id", type: .int32, typeName: "int4"),
                SQLColumn(name: "p", type: .unsupported, typeName: "point"),
                SQLColumn(name: "span", type: .unsupported, typeName: "interval"),
                SQLColumn(name: "list", type: .unsupported, typeName: "_int4"),
                SQLColumn(name: "f", type: .float32, typeName: "float4"),
                SQLColumn(name: "whole", type: .decimal(precision: 0, scale: 0), typeName: "numeric"),
                SQLColumn(name: "rounded", type: .decimal(precision: 5, scale: -2), typeName: "numeric"),
            ])
        #expect(result.rows == [["1", "(1,2)", "1 day", "{1,2}", "0.5", "12.345", "12300"]])
    }

    @Test func aFailingStatementNamesItsSQLAndLeavesTheConnectionUsable() throws {
        let db = try server.connect()
        let sql = "SELEC 1"
        #expect(
            throws: SQLError.query(
                database: "PostgreSQL", sql: sql, reason: "syntax error at or near \"SELEC\" (SQLSTATE 42601)")
        ) {
            try db.execute(sql)
        }
        let query = "SELECT * FROM no_such_table WHERE id > $1"
        #expect(
            throws: SQLError.query(
                database: "PostgreSQL", sql: query, reason: "relation \"no_such_table\" does not exist (SQLSTATE 42P01)"
            )
        ) {
            try db.query(query, parameters: [.int64(1)], fetchSize: 10, columns: { _ in }, row: { _ in true })
        }
        #expect(try collect(db, "SELECT $1::text || $2::text", [.text("a b"), .text("ç")]).rows == [["a bç"]])
    }
}

/// Column `index` of `row` as text (hex for bytes when `hex`); nil for NULL.
private func text(_ row: any SQLRow, _ index: Int, hex: Bool = false) -> String? {
    guard let bytes = row.bytes(index) else { return nil }
    return hex ? bytes.map { String(format: "%02x", $0) }.joined() : String(decoding: bytes, as: UTF8.self)
}

/// All of a query's columns and rows, as text.
private func collect(
    _ db: PostgresDatabase, _ sql: String, _ parameters: [SQLParameter] = [], fetchSize: Int = 100
) throws -> (columns: [SQLColumn], rows: [[String?]]) {
    var columns: [SQLColumn] = []
    var rows: [[String?]] = []
    try db.query(
        sql, parameters: parameters, fetchSize: fetchSize, columns: { columns = $0 },
        row: { row in
            rows.append((0..<columns.count).map { text(row, $0, hex: columns[$0].type == .bytes) })
            return true
        })
    return (columns, rows)
}
