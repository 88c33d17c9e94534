import Foundation
import SluiceConnectors
import SluiceKafka
import SluiceRuntime
import Testing

@testable import SluiceSQL

/// The example the project grew from (`shared/seed/kafka-connect-clusters.md`): a JDBC
/// source on MySQL with `tasks.max` 5, run by a standalone worker against a private
/// MariaDB and the embedded cluster.
@Suite(.mariaDBServer)
struct SeedExampleTests {
    /// The seed's JSON with its `//` comment; only the port is this server's, and `mode`
    /// is added: the seed's excerpt leaves out the mode that the JDBC source (in
    /// Kafka Connect as here) requires.
    static func seed(port: Int) -> String {
        """
        { "name": "my-connector",
          "config": { "connector.class": "org.apache.kafka.connect.jdbc.JdbcSourceConnector",
                      "tasks.max": "5", // Scale the number of tasks
                      "topics": "my_topic",
                      "connection.url": "jdbc:mysql://localhost:\(port)/mydb",
                      "connection.user": "user", "connection.password": "password",
                      "mode": "incrementing", "poll.interval.ms": "200" } }
        """
    }

    @Test("the seed's JDBC source config runs five tasks over five MariaDB tables, and every row reaches my_topic once")
    func seedRuns() throws {
        let server = try #require(MariaDBServer.current)
        try server.createDatabase("mydb")
        try server.execute("CREATE USER IF NOT EXISTS 'user'@'%' IDENTIFIED BY 'password'; GRANT ALL ON mydb.* TO 'user'@'%';")
        var sql = ""
        for table in 1...5 {
            sql += "CREATE TABLE t\(table) (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL, price DECIMAL(8,2));"
            sql += "INSERT INTO t\(table) (name, price) VALUES " + (1...200).map { "('t\(table)-\($0)', \($0).99)" }.joined(separator: ",") + ";"
        }
        try server.execute(sql, database: "mydb")

        let cluster = try EmbeddedKafka()
        try cluster.createTopic("my_topic", partitions: 4)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-seed-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try WorkerConfig(properties: [
            "bootstrap.servers": cluster.bootstrapServers, "offset.storage.file.filename": folder + "/offsets.json",
            "offset.flush.interval.ms": "200", "producer.log_level": "0",
        ])
        var registry = BuiltinConnectors.registry
        SQLConnectors.register(into: &registry)
        let worker = try StandaloneWorker(config: config, registry: registry, log: { _ in })
        try worker.add(ConnectorConfigFile.parseJSON(Self.seed(port: server.port)))
        try worker.start()
        defer { try? worker.stop() }
        #expect(try worker.taskConfigs("my-connector").count == 5)

        var consumerConfig = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        consumerConfig["log_level"] = "0"
        consumerConfig["group.id"] = "seed-check"
        consumerConfig["auto.offset.reset"] = "earliest"
        let consumer = try Consumer(configuration: consumerConfig)
        try consumer.subscribe(topics: ["my_topic"])
        let batch = ConsumedBatch(capacity: 2_000)
        var names: [String] = []
        let deadline = Date().addingTimeInterval(60)
        while names.count < 1_000 && Date() < deadline {
            let got = try consumer.poll(into: batch, timeoutMs: 200)
            for index in 0..<got where batch[index].error == nil {
                guard let value = batch[index].value,
                    let object = try JSONSerialization.jsonObject(with: Data(value)) as? [String: Any],
                    let name = (object["payload"] as? [String: Any])?["name"] as? String
                else { continue }
                names.append(name)
            }
        }
        #expect(names.count == 1_000)
        #expect(Set(names) == Set((1...5).flatMap { table in (1...200).map { "t\(table)-\($0)" } }))
        #expect(worker.taskStates.allSatisfy { $0.state == .running }, "\(worker.taskStates.map { "\($0.task): \($0.state) \($0.error.map { "\($0)" } ?? "")" })")
        // Each table is its own source partition, with Kafka Connect's JDBC offset.
        let offsets = try worker.committedOffsets("my-connector")
        #expect(eventuallyEqual(5) { (try? worker.committedOffsets("my-connector").count) ?? 0 }, "\(offsets)")
        #expect((try worker.committedOffsets("my-connector"))[#"{"protocol":"1","table":"mydb.t3"}"#] == SourceOffset(["incrementing": 200]))
    }

    @Test("a wrong password is a task failure naming user and host, never the password")
    func wrongPassword() throws {
        let server = try #require(MariaDBServer.current)
        try server.createDatabase("pw")
        try server.execute("CREATE TABLE a (id INT AUTO_INCREMENT PRIMARY KEY);", database: "pw")
        let config = [
            "name": "pw", "connection.url": server.url(database: "pw"), "connection.user": "sluice",
            "connection.password": "not-the-secret-77", "mode": "incrementing", "connection.attempts": "2", "connection.backoff.ms": "10",
        ]
        do {
            try SQLSourceConnector().start(config: config)
            Issue.record("connected with a wrong password")
        } catch {
            let text = "\(error)"
            #expect(text.contains("sluice@127.0.0.1:\(server.port)/pw") && text.contains("Access denied"), "\(text)")
            #expect(!text.contains("not-the-secret-77"))
        }
    }

    private func eventuallyEqual(_ expected: Int, _ value: () -> Int) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if value() == expected { return true }
            usleep(100_000)
        }
        return value() == expected
    }
}
