import Foundation
import SluiceConnectors
import SluiceKafka
import SluiceRuntime
import Testing

@testable import SluiceSQL

/// `table.poll.interval.ms`: a standalone worker notices tables created and dropped
/// while the connector runs, and its tasks go on from their offsets.
@Suite struct TableMonitoringTests {
    @Test("a table created while the connector runs gets read, a dropped one is let go, and no row is read twice")
    func tablesComeAndGo() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("sluice-monitor-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try SQLiteDatabase(url: JdbcURL("jdbc:sqlite:\(folder)/shop.db"), create: true)
        defer { database.close() }
        try database.execute(
            """
            CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
            CREATE TABLE b (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
            INSERT INTO a (name) VALUES ('a1'), ('a2'), ('a3');
            INSERT INTO b (name) VALUES ('b1');
            """)

        let cluster = try EmbeddedKafka()
        for topic in ["mon-a", "mon-b", "mon-c"] { try cluster.createTopic(topic, partitions: 1) }
        let config = try WorkerConfig(properties: [
            "bootstrap.servers": cluster.bootstrapServers, "offset.storage.file.filename": folder + "/offsets.json",
            "offset.flush.interval.ms": "100", "producer.log_level": "0",
        ])
        var registry = BuiltinConnectors.registry
        SQLConnectors.register(into: &registry)
        let worker = try StandaloneWorker(config: config, registry: registry, log: { _ in })
        try worker.putConnector(
            "shop",
            config: [
                "connector.class": "io.confluent.connect.jdbc.JdbcSourceConnector", "tasks.max": "1",
                "connection.url": "jdbc:sqlite:\(folder)/shop.db", "mode": "incrementing", "topic.prefix": "mon-",
                "poll.interval.ms": "50", "table.poll.interval.ms": "300", "value.converter.schemas.enable": "false",
            ], mustBeNew: true)
        try worker.start()
        defer { try? worker.stop() }
        #expect(try tables(of: worker) == [["a", "b"]])
        let reader = try TopicNames(cluster.bootstrapServers, topics: ["mon-a", "mon-b", "mon-c"])
        #expect(reader.read(until: { $0.count == 4 }).sorted() == ["a1", "a2", "a3", "b1"])

        try database.execute("CREATE TABLE c (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL); INSERT INTO c (name) VALUES ('c1'), ('c2')")
        #expect(wait { try tables(of: worker) == [["a", "b", "c"]] }, "table c noticed within 15 s")
        try database.execute("INSERT INTO a (name) VALUES ('a4'); INSERT INTO b (name) VALUES ('b2')")
        #expect(reader.read(until: { $0.count == 8 }).sorted() == ["a1", "a2", "a3", "a4", "b1", "b2", "c1", "c2"])

        try database.execute("DROP TABLE b")
        #expect(wait { try tables(of: worker) == [["a", "c"]] }, "table b let go within 15 s")
        try database.execute("INSERT INTO a (name) VALUES ('a5'); INSERT INTO c (name) VALUES ('c3')")
        #expect(reader.read(until: { $0.count == 10 }).sorted() == ["a1", "a2", "a3", "a4", "a5", "b1", "b2", "c1", "c2", "c3"])
        // Nothing more arrives: the restarted tasks resumed from their offsets, not from the start.
        Thread.sleep(forTimeInterval: 1)
        #expect(reader.read(until: { _ in false }, seconds: 0.5).count == 10)
        #expect(worker.taskStates.filter { $0.state == .running }.count == 1)
    }

    /// The table names of each task config, in task order.
    private func tables(of worker: StandaloneWorker) throws -> [[String]] {
        try worker.taskConfigs("shop").map { task in
            SQLSourceTask.decode(tables: task.config[SQLSourceTask.tablesKey] ?? "").map(\.name)
        }
    }

    private func wait(seconds: TimeInterval = 15, _ condition: () throws -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? condition()) == true { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }
}
