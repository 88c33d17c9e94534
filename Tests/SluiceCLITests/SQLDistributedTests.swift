import Foundation
import SluiceKafka
import Testing

@testable import SluiceSQL

/// The SQL source in a cluster of real `sluice worker` processes: a task moved off a
/// killed worker resumes from the offset topic, and the leader notices new tables.
@Suite("The SQL source in a cluster of sluice workers", .serialized)
struct SQLDistributedTests {
    @Test("kill -9 of a worker: its SQL task resumes on the survivor from the offset topic, every row once; a table created then is noticed by the survivor, now the leader")
    func movedTaskResumes() throws {
        let folder = try TemporaryFolder()
        let url = "jdbc:sqlite:" + folder.file("shop.db")
        let database = try SQLiteDatabase(url: JdbcURL(url), create: true)
        defer { database.close() }
        try database.execute(
            """
            CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
            CREATE TABLE b (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
            """)
        try insert(database, table: "a", 1...500)
        try insert(database, table: "b", 1...500)
        let broker = try BrokerProcess(topics: ["dsql-a:1", "dsql-b:1", "dsql-c:1"])
        let workers = try (0..<2).map {
            try WorkerProcess(folder: folder, name: "w\($0)", properties: WorkerProcess.properties(bootstrap: broker.bootstrapServers))
        }
        let body: [String: Any] = [
            "name": "shop",
            "config": [
                "connector.class": "io.confluent.connect.jdbc.JdbcSourceConnector", "tasks.max": "2", "connection.url": url,
                "mode": "incrementing", "topic.prefix": "dsql-", "poll.interval.ms": "50", "table.poll.interval.ms": "500",
                "value.converter.schemas.enable": "false",
            ],
        ]
        let created = try workers[0].createConnector(body)
        #expect(created.status == 201, "\(created.text)")
        let spread = try eventually(seconds: 40) {
            let now = try placements(workers[0].url)
            return now.count == 2 && now.allSatisfy { $0.state == "RUNNING" } && Set(now.map(\.worker)).count == 2
        }
        #expect(spread, "the two tasks never ran on two workers:\n\(workers.map(\.log).joined(separator: "\n---\n"))")
        let reader = try TopicNames(broker.bootstrapServers, topics: ["dsql-a", "dsql-b", "dsql-c"])
        #expect(reader.read(until: { $0.count >= 1_000 }).count == 1_000)
        usleep(1_500_000)  // past an offset flush (500 ms)

        // The first worker to join usually leads the group: killing it makes the survivor a
        // leader that never computed this connector's task configs before.
        let (victim, survivor) = (workers[0], workers[1])
        victim.kill(SIGKILL)
        try insert(database, table: "a", 501...800)
        try insert(database, table: "b", 501...800)
        let moved = try eventually(seconds: 40) {
            let now = try placements(survivor.url)
            return !now.isEmpty && now.allSatisfy { $0.state == "RUNNING" && $0.worker == survivor.workerID }
        }
        #expect(moved, "the tasks never moved to the survivor:\n\(survivor.log)")
        let names = reader.read(until: { $0.count >= 1_600 }, seconds: 60)
        let expected = ["a", "b"].flatMap { table in (1...800).map { "\(table)\($0)" } }
        #expect(names.count == 1_600 && Set(names) == Set(expected), "\(names.count) names, \(Set(expected).subtracting(names).count) missing")

        // The survivor leads now; it has to notice a new table without a config change.
        try database.execute("CREATE TABLE c (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)")
        try insert(database, table: "c", 1...100)
        let all = reader.read(until: { $0.count >= 1_700 }, seconds: 60)
        #expect(all.count == 1_700 && Set(all).count == 1_700, "\(all.count) names after table c, \(Set(all).count) distinct:\n\(survivor.log)")
        let reply = try RestClient.call("GET", survivor.url + "connectors/shop/tasks").text
        let tasks = (try? JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [[String: Any]]) ?? []
        let tables = tasks.map { SQLSourceTask.decode(tables: ($0["config"] as? [String: String])?[SQLSourceTask.tablesKey] ?? "").map(\.name) }
        #expect(tables == [["a", "b"], ["c"]], "\(reply)")
    }

    @Test("a table split by range keeps its ranges while it grows: the leader's rechecks change no task config, new rows go to the last part, every row once")
    func rangesKeptWhileGrowing() throws {
        let folder = try TemporaryFolder()
        let url = "jdbc:sqlite:" + folder.file("grow.db")
        let database = try SQLiteDatabase(url: JdbcURL(url), create: true)
        defer { database.close() }
        try database.execute("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)")
        try insert(database, table: "t", 1...1000)
        let broker = try BrokerProcess(topics: ["drange-t:1"])
        let worker = try WorkerProcess(folder: folder, name: "w", properties: WorkerProcess.properties(bootstrap: broker.bootstrapServers))
        let body: [String: Any] = [
            "name": "grow",
            "config": [
                "connector.class": "io.confluent.connect.jdbc.JdbcSourceConnector", "tasks.max": "2", "connection.url": url,
                "mode": "incrementing", "topic.prefix": "drange-", "poll.interval.ms": "50", "table.poll.interval.ms": "300",
                "value.converter.schemas.enable": "false",
            ],
        ]
        let created = try worker.createConnector(body)
        #expect(created.status == 201, "\(created.text)")
        func splits() throws -> [String] {
            let reply = try RestClient.call("GET", worker.url + "connectors/grow/tasks").text
            let tasks = (try? JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [[String: Any]]) ?? []
            return tasks.flatMap { task in
                SQLSourceTask.decodeParts(((task["config"] as? [String: String]) ?? [:])[SQLSourceTask.tablesKey] ?? "").map { $0.split?.description ?? "whole" }
            }
        }
        let split = try eventually(seconds: 30) { try splits() == ["(,500]", "(500,)"] }
        #expect(split, "\((try? splits()) ?? [])\n\(worker.log)")
        let reader = try TopicNames(broker.bootstrapServers, topics: ["drange-t"])
        #expect(reader.read(until: { $0.count >= 1_000 }).count == 1_000)

        // Half as many rows again: new bounds would be (,750] and (750,); the running ranges stay.
        try insert(database, table: "t", 1001...1500)
        let names = reader.read(until: { $0.count >= 1_500 }, seconds: 60)
        #expect(names.count == 1_500 && Set(names) == Set((1...1500).map { "t\($0)" }), "\(names.count) names")
        usleep(1_500_000)  // several rechecks (every 300 ms)
        let kept = try splits()
        #expect(kept == ["(,500]", "(500,)"], "\(worker.log)")
        #expect(reader.read(until: { $0.count > 1_500 }, seconds: 1).count == 1_500, "no row twice")
    }

    private func insert(_ database: SQLiteDatabase, table: String, _ ids: ClosedRange<Int>) throws {
        try database.execute("INSERT INTO \(table) (name) VALUES " + ids.map { "('\(table)\($0)')" }.joined(separator: ","))
    }

    private func placements(_ url: String) throws -> [(state: String, worker: String)] {
        let status = try RestClient.call("GET", url + "connectors/shop/status").object
        return (status["tasks"] as? [[String: Any]] ?? []).map {
            ($0["state"] as? String ?? "", $0["worker_id"] as? String ?? "")
        }
    }
}
