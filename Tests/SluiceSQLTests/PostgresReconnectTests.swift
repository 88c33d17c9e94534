import Foundation
import SluiceRuntime
import Testing

@testable import SluiceSQL

/// A SQL source task whose PostgreSQL connection is lost mid-run (see ``PostgresServer``).
@Suite(.privatePostgresServer)
struct PostgresReconnectTests {
    @Test("a connection the server drops is opened again and no row is lost or read twice; a server that stays away fails the poll after connection.attempts")
    func reconnects() throws {
        let server = try #require(PostgresServer.current, "the suite's server did not start")
        let name = try server.createDatabase()
        let admin = try server.connect(database: name)
        defer { admin.close() }
        try admin.execute(
            "CREATE TABLE orders (id bigint PRIMARY KEY, item text NOT NULL); INSERT INTO orders SELECT g, 'item-' || g FROM generate_series(1, 2500) g")
        let harness = try SQLTaskHarness(
            config: [
                "connection.url": server.url(database: name), "connection.user": server.user,
                "connection.password": server.password, "mode": "incrementing", "incrementing.column.name": "id",
                "topic.prefix": "pg-", "poll.interval.ms": "1", "batch.max.rows": "1000",
                "connection.attempts": "3", "connection.backoff.ms": "100",
            ], tables: [SQLTableName(catalog: name, schema: "public", name: "orders")])
        let first = try harness.poll().records
        #expect(first.map { $0.payload["id"] as? Int } == (1...1000).map { $0 })

        // The server ends the task's session, as a restart or a failover would. The
        // task's query may still be open (it streams up to 64 pages): rows the client
        // already received are still delivered, then the next statement finds the
        // connection gone and opens a new one.
        func sessions() throws -> [String] {
            var pids: [String] = []
            try admin.query(
                "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                parameters: [.text(name)], fetchSize: 10, columns: { _ in }
            ) { row in
                pids += row.bytes(0).map { [String(decoding: $0, as: UTF8.self)] } ?? []
                return true
            }
            return pids
        }
        let before = try sessions()
        #expect(before.count == 1)
        var ended = 0
        try admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            parameters: [.text(name)], fetchSize: 10, columns: { _ in }
        ) { row in
            ended += row.bytes(0).map { $0.first == UInt8(ascii: "t") ? 1 : 0 } ?? 0
            return true
        }
        #expect(ended == 1)
        var rest: [SQLTaskHarness.Record] = []
        for _ in 0..<20 where rest.count < 1500 { rest += try harness.drain() }
        #expect(try harness.drain().isEmpty, "the next query finds the connection gone, opens another and finds nothing new")
        #expect(rest.map { $0.payload["id"] as? Int } == (1001...2500).map { $0 }, "every row once, in order")
        let after = try sessions()
        #expect(after.count == 1 && after != before, "the task opened a new session: \(before) -> \(after)")
        #expect(harness.offsets.values.first == SourceOffset(["incrementing": 2500]))

        // A server that is gone for good: three attempts, then the poll fails naming the server.
        try admin.execute("INSERT INTO orders VALUES (2501, 'late')")
        server.stop()
        let started = Date()
        let error = #expect(throws: SQLError.self) { _ = try harness.drain(maxPolls: 5) }
        #expect(Date().timeIntervalSince(started) >= 0.2, "two backoffs of 100 ms between three attempts")
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("127.0.0.1:\(server.port)") && !text.contains(server.password), "\(text)")
    }
}
