import Foundation
import SluiceRuntime
import Testing

@testable import SluiceSQL

/// A SQL source task reading PostgreSQL in incrementing mode keeps each query open
/// across polls (``SQLRowStream``), ``SQLSourceTask/pagesPerQuery`` pages at a time.
@Suite(.privatePostgresServer)
struct PostgresStreamedReadTests {
    let server: PostgresServer
    let name: String
    let admin: PostgresDatabase

    init() throws {
        server = try #require(PostgresServer.current, "the suite's server did not start")
        name = try server.createDatabase()
        admin = try server.connect(database: name)
    }

    func config(_ extra: [String: String]) -> [String: String] {
        [
            "connection.url": server.url(database: name), "connection.user": server.user,
            "connection.password": server.password, "mode": "incrementing", "incrementing.column.name": "id",
            "topic.prefix": "pg-", "poll.interval.ms": "1",
        ].merging(extra) { $1 }
    }

    func table(_ table: String, rows: ClosedRange<Int>) throws -> SQLTableName {
        try admin.execute(
            "CREATE TABLE IF NOT EXISTS \(table) (id bigint PRIMARY KEY, item text NOT NULL); INSERT INTO \(table) SELECT g, 'item-' || g FROM generate_series(\(rows.lowerBound), \(rows.upperBound)) g")
        return SQLTableName(catalog: name, schema: "public", name: table)
    }

    /// The start time and text of the task's last statement, as the server reports them.
    func lastStatement() throws -> (started: String, text: String) {
        var found: [(String, String)] = []
        try admin.query(
            "SELECT query_start::text, query FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            parameters: [.text(name)], fetchSize: 10, columns: { _ in }
        ) { row in
            found.append((String(decoding: row.bytes(0)!, as: UTF8.self), String(decoding: row.bytes(1)!, as: UTF8.self)))
            return true
        }
        try #require(found.count == 1, "one session for the task: \(found)")
        return found[0]
    }

    func ids(_ records: [SQLTaskHarness.Record]) -> [Int?] { records.map { $0.payload["id"] as? Int } }

    @Test("polls read pages of one open query, and rows inserted meanwhile come after it, every row once")
    func pagesComeFromOneQuery() throws {
        let orders = try table("orders", rows: 1...2000)
        let harness = try SQLTaskHarness(config: config(["batch.max.rows": "10"]), tables: [orders])
        let first = try harness.poll()
        #expect(ids(first.records) == (1...10).map { $0 } && first.result == .batchFull)
        let started = try lastStatement()
        #expect(started.text.hasPrefix("COPY (SELECT") && started.text.contains("LIMIT \(10 * SQLSourceTask.pagesPerQuery)"), "\(started.text)")
        let second = try harness.poll()
        #expect(ids(second.records) == (11...20).map { $0 })
        #expect(try lastStatement().started == started.started, "the second page came from the query the first poll started")

        try admin.execute("INSERT INTO orders SELECT g, 'item-' || g FROM generate_series(2001, 2005) g")
        let rest = try harness.drain()
        #expect(ids(rest) == (21...2005).map { $0 })
        #expect(harness.offsets.values.first == SourceOffset(["incrementing": 2005]))
    }

    @Test("a row that did not fit a full batch is the first of the next, from the same query")
    func aRefusedRowWaitsInTheQuery() throws {
        let orders = try table("small_batches", rows: 1...3000)
        let harness = try SQLTaskHarness(config: config(["batch.max.rows": "1000"]), tables: [orders], arenaBytes: 4096)
        var all: [SQLTaskHarness.Record] = []
        var polls = 0
        while true {
            let (records, _) = try harness.poll()
            if records.isEmpty { break }
            #expect(records.count < 1000, "the arena, not batch.max.rows, ends these batches")
            all += records
            polls += 1
        }
        #expect(ids(all) == (1...3000).map { $0 })
        #expect(polls > 3)
        #expect(try lastStatement().text.contains("LIMIT \(1000 * SQLSourceTask.pagesPerQuery)"), "one query served every batch")
    }

    @Test("a table whose query is open keeps the task until the query ends; then the next table has its turn")
    func aTableKeepsTheTaskWhileItsQueryIsOpen() throws {
        let first = try table("first_table", rows: 1...2000)
        let second = try table("second_table", rows: 1...2000)
        let harness = try SQLTaskHarness(config: config(["batch.max.rows": "10"]), tables: [first, second])
        var topics: [String?] = []
        var records: [String: [SQLTaskHarness.Record]] = [:]
        while true {
            let (page, _) = try harness.poll()
            if page.isEmpty { break }
            topics.append(page[0].topic)
            records[page[0].topic ?? "", default: []] += page
        }
        let pages = SQLSourceTask.pagesPerQuery
        #expect(Set(topics.prefix(pages)).count == 1, "the first query's \(pages) pages in a row")
        #expect(topics.count > pages && topics[pages] != topics[0], "then the other table")
        #expect(ids(records["pg-first_table"] ?? []) == (1...2000).map { $0 })
        #expect(ids(records["pg-second_table"] ?? []) == (1...2000).map { $0 })
    }
}
