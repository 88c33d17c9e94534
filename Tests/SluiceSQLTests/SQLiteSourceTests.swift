import Foundation
import SluiceCore
import SluiceRuntime
import Testing

@testable import SluiceSQL

/// The SQL source's task against SQLite files, in-process: the queries of each mode,
/// offsets, and the errors of bad settings and tables.
@Suite("SQL source on SQLite")
struct SQLiteSourceTests {
    static func config(_ file: SQLiteFile, _ extra: [String: String]) -> [String: String] {
        ["name": "sql", "connection.url": file.url, "poll.interval.ms": "1"].merging(extra) { $1 }
    }

    static func orders(_ file: SQLiteFile, count: Int, from first: Int = 1) throws {
        try file.execute("BEGIN")
        for id in first..<(first + count) {
            try file.execute("INSERT INTO orders (id, item, amount, created) VALUES (\(id), 'item \(id) \"q\"', \(id).25, '2024-01-02 03:04:05.678')")
        }
        try file.execute("COMMIT")
    }

    @Test("a stream read over many calls keeps a refused row for the next, and ends when closed or when another statement runs")
    func rowStreamContract() throws {
        let file = try SQLiteFile()
        try file.execute("CREATE TABLE numbers (id INTEGER PRIMARY KEY, label TEXT NOT NULL)")
        try file.execute("INSERT INTO numbers WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 2500) SELECT n, 'n-' || n FROM s")
        try SQLRowStreamContract.check(file.database, count: 2500)
    }

    @Test("value.converter.decimal.format=NUMERIC (any case) writes decimals as JSON numbers at the column's scale; a format Kafka does not have is refused")
    func numericDecimalFormat() throws {
        let file = try SQLiteFile()
        try file.execute("CREATE TABLE prices (id INTEGER PRIMARY KEY, amount DECIMAL(10,2) NOT NULL)")
        try file.execute("INSERT INTO prices VALUES (1, '12.5'), (2, '-0.25'), (3, '7')")
        let config = Self.config(file, ["mode": "incrementing", "topic.prefix": "db-", "value.converter.schemas.enable": "false", "value.converter.decimal.format": "numeric"])
        let harness = try SQLTaskHarness(config: config, tables: [SQLTableName(name: "prices")])
        _ = try harness.poll()
        let values = (0..<harness.batch.count).map { String(decoding: harness.batch[$0].value!, as: UTF8.self) }
        #expect(values == [#"{"id":1,"amount":12.50}"#, #"{"id":2,"amount":-0.25}"#, #"{"id":3,"amount":7.00}"#])
        var bad = config
        bad["value.converter.decimal.format"] = "HEX"
        #expect(throws: RuntimeError.self) { _ = try SQLTaskHarness(config: bad, tables: [SQLTableName(name: "prices")]) }
    }

    @Test("incrementing: every row once, in order, as a Connect struct keyed by the primary key; the offset resumes after a restart")
    func incrementing() throws {
        let file = try SQLiteFile()
        try file.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL, amount DECIMAL(10,2), created DATETIME)")
        try Self.orders(file, count: 2500)
        let config = Self.config(file, ["mode": "incrementing", "batch.max.rows": "1000", "topic.prefix": "db-"])
        let harness = try SQLTaskHarness(config: config, tables: [SQLTableName(name: "orders")])
        let first = try harness.poll()
        #expect(first.records.count == 1000 && first.result == .batchFull)
        let all = first.records + (try harness.drain())
        #expect(all.map { $0.payload["id"] as? Int } == (1...2500).map { $0 })
        #expect(all.allSatisfy { $0.topic == "db-orders" })
        let record = all[41]
        #expect(record.payload["item"] as? String == #"item 42 "q""#)
        #expect(record.payload["amount"] as? String == Data([0x10, 0x81]).base64EncodedString(), "42.25 at scale 2 is 4225 = 0x1081")
        #expect(record.payload["created"] as? Int == 1_704_164_645_678)
        #expect(record.key == #"{"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"}],"optional":false,"name":"orders.Key"},"payload":{"id":42}}"#)
        let schema = try #require(record.value["schema"] as? [String: Any])
        #expect(schema["name"] as? String == "orders")
        let fields = try #require(schema["fields"] as? [[String: Any]])
        #expect(fields.map { $0["field"] as? String } == ["id", "item", "amount", "created"])
        #expect(fields[2]["name"] as? String == "org.apache.kafka.connect.data.Decimal")
        #expect((fields[2]["parameters"] as? [String: Any])?["scale"] as? String == "2")
        #expect(fields[3]["name"] as? String == "org.apache.kafka.connect.data.Timestamp" && fields[3]["optional"] as? Bool == true)
        #expect(fields[1]["optional"] as? Bool == false)
        let partition = #"{"protocol":"1","table":"orders"}"#
        #expect(harness.offsets == [partition: SourceOffset(["incrementing": 2500])])

        // New rows are read at the next poll; a restarted task starts after the offset.
        try Self.orders(file, count: 5, from: 2501)
        #expect(try harness.drain().map { $0.payload["id"] as? Int } == [2501, 2502, 2503, 2504, 2505])
        try Self.orders(file, count: 3, from: 2506)
        let restarted = try SQLTaskHarness(config: config, tables: [SQLTableName(name: "orders")], offsets: harness.offsets)
        #expect(try restarted.drain().map { $0.payload["id"] as? Int } == [2506, 2507, 2508])
    }

    @Test("timestamp: groups of equal timestamps across page ends are read whole, each row once; a group larger than a page is paged")
    func timestampGroups() throws {
        let file = try SQLiteFile()
        try file.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, ts DATETIME NOT NULL)")
        let stamps = ["2024-01-01 00:00:01", "2024-01-01 00:00:01", "2024-01-01 00:00:02", "2024-01-01 00:00:02",
                      "2024-01-01 00:00:02", "2024-01-01 00:00:02", "2024-01-01 00:00:02", "2024-01-01 00:00:03"]
        for (index, stamp) in stamps.enumerated() { try file.execute("INSERT INTO events VALUES (\(index + 1), '\(stamp)')") }
        let config = Self.config(file, ["mode": "timestamp", "timestamp.column.name": "ts", "batch.max.rows": "3"])
        let harness = try SQLTaskHarness(config: config, tables: [SQLTableName(name: "events")])
        let read = try harness.drain()
        #expect(read.compactMap { $0.payload["id"] as? Int }.sorted() == Array(1...8), "\(read.map { $0.payload["id"] ?? "nil" })")
        let offset = try #require(harness.offsets[#"{"protocol":"1","table":"events"}"#])
        #expect(offset["timestamp"] == SQLTimestamp("2024-01-01 00:00:03")!.milliseconds)
        #expect(offset["timestamp_nanos"] == 0)
        // Nothing more, and a later row alone.
        try file.execute("INSERT INTO events VALUES (9, '2024-01-01 00:00:04')")
        #expect(try harness.drain().compactMap { $0.payload["id"] as? Int } == [9])
    }

    @Test("timestamp+incrementing: rows of one timestamp are ordered by the incrementing column and resumed exactly")
    func timestampIncrementing() throws {
        let file = try SQLiteFile()
        try file.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, changed DATETIME NOT NULL, v TEXT)")
        for id in 1...10 { try file.execute("INSERT INTO t VALUES (\(id), '2024-05-05 05:05:0\(id <= 6 ? 1 : 2)', 'v\(id)')") }
        let config = Self.config(file, ["mode": "timestamp+incrementing", "timestamp.column.name": "changed", "batch.max.rows": "4"])
        let harness = try SQLTaskHarness(config: config, tables: [SQLTableName(name: "t")])
        let first = try harness.poll()
        #expect(first.records.compactMap { $0.payload["id"] as? Int } == [1, 2, 3, 4])
        let restarted = try SQLTaskHarness(config: config, tables: [SQLTableName(name: "t")], offsets: harness.offsets)
        #expect(try restarted.drain().compactMap { $0.payload["id"] as? Int } == [5, 6, 7, 8, 9, 10])
        #expect(restarted.offsets[#"{"protocol":"1","table":"t"}"#]?["incrementing"] == 10)
    }

    @Test("timestamp.delay.interval.ms: a row newer than the database's time minus the delay waits; a late commit with an earlier timestamp inside the delay is not missed")
    func delay() throws {
        let file = try SQLiteFile()
        try file.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, ts DATETIME NOT NULL)")
        let now = try file.database.now()
        try file.execute("INSERT INTO t VALUES (1, '\(now.adding(milliseconds: -60_000).text(fractionDigits: 3))')")
        try file.execute("INSERT INTO t VALUES (2, '\(now.adding(milliseconds: -1_000).text(fractionDigits: 3))')")
        let config = Self.config(file, ["mode": "timestamp", "timestamp.column.name": "ts", "timestamp.delay.interval.ms": "3000"])
        let harness = try SQLTaskHarness(config: config, tables: [SQLTableName(name: "t")])
        #expect(try harness.drain().compactMap { $0.payload["id"] as? Int } == [1])
        // Committed late, stamped before row 2.
        try file.execute("INSERT INTO t VALUES (3, '\(now.adding(milliseconds: -2_000).text(fractionDigits: 3))')")
        Thread.sleep(forTimeInterval: 2.5)
        #expect(try harness.drain().compactMap { $0.payload["id"] as? Int } == [3, 2])
    }

    @Test("bulk: the whole table at every round, with no offsets")
    func bulk() throws {
        let file = try SQLiteFile()
        try file.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL, amount DECIMAL(10,2), created DATETIME)")
        try Self.orders(file, count: 7)
        let harness = try SQLTaskHarness(config: Self.config(file, ["mode": "bulk", "batch.max.rows": "5", "poll.interval.ms": "300"]), tables: [SQLTableName(name: "orders")])
        let first = try harness.drain()
        #expect(first.count == 7, "\(first.map { $0.payload["id"] ?? "nil" })")
        #expect(try harness.drain().isEmpty, "not before poll.interval.ms")
        usleep(400_000)
        #expect(try harness.drain().count == 7, "the next round, after poll.interval.ms")
        #expect(harness.offsets.isEmpty)
    }

    @Test("query mode reads the query into the topic of topic.prefix, with its own partition")
    func queryMode() throws {
        let file = try SQLiteFile()
        try file.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL, amount DECIMAL(10,2), created DATETIME)")
        try Self.orders(file, count: 4)
        let config = Self.config(file, ["mode": "incrementing", "query": "SELECT id, item FROM orders WHERE id % 2 = 0", "incrementing.column.name": "id", "topic.prefix": "evens"])
        let harness = try SQLTaskHarness(config: config)
        let records = try harness.drain()
        #expect(records.compactMap { $0.payload["id"] as? Int } == [2, 4])
        #expect(records.first?.topic == "evens" && records.first?.key == nil)
        #expect(harness.offsets == [#"{"query":"query"}"#: SourceOffset(["incrementing": 4])])
    }

    @Test("tables that cannot be read are errors naming the table and column")
    func badTables() throws {
        let file = try SQLiteFile()
        try file.execute("CREATE TABLE loose (id INTEGER, v TEXT)")
        try file.execute("CREATE TABLE shapes (id INTEGER PRIMARY KEY, area GEOMETRY)")
        try file.execute("INSERT INTO shapes VALUES (1, 'x')")
        func failure(_ extra: [String: String], table: String) -> String {
            do {
                let harness = try SQLTaskHarness(config: Self.config(file, extra), tables: [SQLTableName(name: table)])
                _ = try harness.drain()
                return "no error"
            } catch { return "\(error)" }
        }
        #expect(failure(["mode": "incrementing", "incrementing.column.name": "id"], table: "loose").contains("table loose, column id: the incrementing column may be NULL"))
        #expect(failure(["mode": "incrementing"], table: "loose").contains("no auto-increment column"))
        #expect(failure(["mode": "incrementing", "incrementing.column.name": "nope"], table: "shapes").contains("column nope: no such column"))
        #expect(failure(["mode": "incrementing"], table: "missing") == "table missing does not exist")
        #expect(failure(["mode": "incrementing"], table: "shapes") == "table shapes, column area: type GEOMETRY has no Kafka Connect mapping")
        #expect(failure(["mode": "incrementing", "incrementing.column.name": "id", "validate.non.null": "false"], table: "loose") == "no error")
    }

    @Test("bad settings are all reported at once")
    func badSettings() throws {
        func problems(_ config: [String: String]) -> [String] {
            do {
                _ = try SQLSourceConfig(config)
                return []
            } catch let RuntimeError.invalidConnectorConfig(_, problems) {
                return problems.map(\.name)
            } catch { return ["\(error)"] }
        }
        #expect(problems(["connection.url": "jdbc:sqlite:/x"]) == ["mode"])
        #expect(Set(problems(["connection.url": "jdbc:oracle:thin:@h:1521:x", "mode": "sometimes", "query": "SELECT 1", "table.whitelist": "a",
                              "db.timezone": "Mars/Olympus", "value.converter": "org.apache.kafka.connect.storage.StringConverter"]))
            == ["connection.url", "mode", "query", "db.timezone", "value.converter"])
        #expect(problems(["connection.url": "jdbc:sqlite:/x", "mode": "timestamp"]) == ["timestamp.column.name"])
        #expect(problems(["connection.url": "jdbc:sqlite:/x", "mode": "bulk", "table.whitelist": "a", "table.blacklist": "b"]) == ["table.whitelist"])
        do {
            _ = try JdbcURL("jdbc:oracle:thin:@h:1521:x")
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("jdbc:postgresql://") && "\(error)".contains("jdbc:oracle"))
        }
    }

    @Test("the connector splits tables into min(tables, tasks.max) contiguous groups and refuses a listed table that does not exist")
    func split() throws {
        let file = try SQLiteFile()
        for name in ["a", "b", "c", "d", "e"] { try file.execute("CREATE TABLE \(name) (id INTEGER PRIMARY KEY)") }
        let connector = SQLSourceConnector()
        try connector.start(config: Self.config(file, ["mode": "incrementing"]))
        let groups = connector.taskConfigs(maxTasks: 3).map { SQLSourceTask.decode(tables: $0[SQLSourceTask.tablesKey] ?? "").map(\.name) }
        #expect(groups == [["a", "b"], ["c", "d"], ["e"]])
        #expect(connector.taskConfigs(maxTasks: 8).count == 5)
        try connector.start(config: Self.config(file, ["mode": "incrementing", "table.whitelist": "b, d"]))
        #expect(connector.taskConfigs(maxTasks: 8).map { SQLSourceTask.decode(tables: $0[SQLSourceTask.tablesKey] ?? "").map(\.name) } == [["b"], ["d"]])
        #expect(throws: RuntimeError.self) { try connector.start(config: Self.config(file, ["mode": "incrementing", "table.whitelist": "b,zz"])) }
    }
}
