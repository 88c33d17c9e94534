import Foundation
import SluiceKafka
import SluiceSQL
import Testing

/// `sluice standalone` with the SQL source against a SQLite file and `sluice broker`.
@Suite("sluice standalone: the SQL source (SQLite)")
struct SQLSourceCommandTests {
    /// The ids in `topic`'s records (JsonConverter JSON, with or without envelopes), in the order of each partition.
    static func ids(in topic: String, bootstrap: String) throws -> [Int] {
        try TopicContents.read(topic, bootstrap: bootstrap).compactMap { record in
            guard let value = record.value, let object = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any] else { return nil }
            return ((object["payload"] as? [String: Any]) ?? object)["id"] as? Int
        }
    }

    static func insert(_ database: SQLiteDatabase, ids: ClosedRange<Int>) throws {
        try database.execute("BEGIN")
        for id in ids { try database.execute("INSERT INTO orders VALUES (\(id), 'item \(id)', \(id).5)") }
        try database.execute("COMMIT")
    }

    @Test("kill -9 mid-run and restart: every row arrives, none is skipped, and the restart resumes from the stored offset")
    func killAndResume() throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["sql-orders:1"])
        let database = try SQLiteDatabase(url: JdbcURL("jdbc:sqlite:" + folder.file("shop.db")), create: true)
        try database.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL, price NUMERIC(8,1))")
        // Without schemas the records stay well under the embedded broker's 5 MiB per partition.
        try Self.insert(database, ids: 1...20_000)
        try folder.write("worker.properties", """
            listeners=http://127.0.0.1:0
            bootstrap.servers=\(broker.bootstrapServers)
            offset.storage.file.filename=\(folder.file("offsets.json"))
            offset.flush.interval.ms=200
            """)
        try folder.write("sql.json", """
            { "name": "shop",  // the Kafka Connect documentation's shape, comment included
              "config": { "connector.class": "io.confluent.connect.jdbc.JdbcSourceConnector", "tasks.max": "1",
                          "connection.url": "jdbc:sqlite:\(folder.file("shop.db"))", "mode": "incrementing",
                          "topic.prefix": "sql-", "poll.interval.ms": "100", "batch.max.rows": "500",
                          "value.converter.schemas.enable": "false", "key.converter.schemas.enable": "false" } }
            """)
        let arguments = [folder.file("worker.properties"), folder.file("sql.json")]
        let first = try StandaloneCommandTests.start(arguments, log: folder.file("first.log"))
        #expect(try eventually(seconds: 30) { try Self.ids(in: "sql-orders", bootstrap: broker.bootstrapServers).count >= 5_000 })
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let before = try Self.ids(in: "sql-orders", bootstrap: broker.bootstrapServers).count
        try Self.insert(database, ids: 20_001...21_000)
        let second = try StandaloneCommandTests.start(arguments, log: folder.file("second.log"))
        defer {
            kill(second.processIdentifier, SIGKILL)
            second.waitUntilExit()
        }
        #expect(try eventually(seconds: 60) { Set(try Self.ids(in: "sql-orders", bootstrap: broker.bootstrapServers)).count == 21_000 },
                "\((try? String(contentsOfFile: folder.file("second.log"), encoding: .utf8)) ?? "")")
        let ids = try Self.ids(in: "sql-orders", bootstrap: broker.bootstrapServers)
        let missing = Set(1...21_000).subtracting(ids).sorted()
        #expect(missing.isEmpty, "\(missing.count) missing, from \(missing.first ?? 0) to \(missing.last ?? 0); \(ids.count) records")
        // One partition: the ids climb, except where the restart re-sent what the last offset flush had not covered.
        let restarts = zip(ids, ids.dropFirst()).filter { $0.1 <= $0.0 }.count
        #expect(restarts <= 1, "ids go back at most once (the restart)")
        #expect(ids.count - 21_000 < ids.count - before + 1, "re-sent rows are fewer than the rows sent after the restart")
        let offsets = try String(contentsOfFile: folder.file("offsets.json"), encoding: .utf8)
        #expect(offsets.contains(#""incrementing""#), "\(offsets)")
    }
}
