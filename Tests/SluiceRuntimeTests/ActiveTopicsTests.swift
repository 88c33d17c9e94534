import Foundation
import SluiceKafka
@testable import SluiceRuntime
import Synchronization
import Testing

/// KIP-558: the topics each connector used, kept as Kafka Connect keeps them.
@Suite("Active topics")
struct ActiveTopicsTests {
    /// What an ``ActiveTopics`` handed to its publisher, in order.
    final class Published: Sendable {
        let records = Mutex<[(key: String, value: [UInt8]?)]>([])
        func publish(_ entry: ActiveTopics.Entry?, _ topic: String, _ connector: String) {
            records.withLock { $0.append((ActiveTopics.statusKey(topic: topic, connector: connector), entry.map(ActiveTopics.statusValue))) }
        }
    }

    @Test("a topic is recorded once per connector, with the task that found it; a reset forgets it and publishes a tombstone")
    func observeAndReset() throws {
        let published = Published()
        let topics = ActiveTopics(publish: published.publish)
        topics.observe(ConnectorTaskID(connector: "a", task: 1), topic: "t1")
        topics.observe(ConnectorTaskID(connector: "a", task: 0), topic: "t1")
        topics.observe(ConnectorTaskID(connector: "a", task: 0), topic: "t0")
        topics.observe(ConnectorTaskID(connector: "b", task: 0), topic: "t1")
        #expect(topics.topics(of: "a") == ["t0", "t1"])
        #expect(topics.topics(of: "b") == ["t1"])
        #expect(topics.entries(of: "a").map(\.task) == [0, 1], "t1 keeps the task that found it first")
        #expect(published.records.withLock { $0.map(\.key) } == [
            "status-topic-t1:connector-a", "status-topic-t0:connector-a", "status-topic-t1:connector-b",
        ])
        #expect(topics.reset("a") == ["t0", "t1"])
        #expect(topics.topics(of: "a").isEmpty)
        #expect(topics.topics(of: "b") == ["t1"], "another connector's topics stay")
        let tombstones = published.records.withLock { Array($0.suffix(2)) }
        #expect(tombstones.map(\.key) == ["status-topic-t0:connector-a", "status-topic-t1:connector-a"])
        #expect(tombstones.allSatisfy { $0.value == nil })
        topics.observe(ConnectorTaskID(connector: "a", task: 0), topic: "t1")
        #expect(topics.topics(of: "a") == ["t1"], "a topic used again after a reset is recorded again")
    }

    @Test("the status topic record is Kafka Connect's: key status-topic-<topic>:connector-<name>, value {\"topic\":{name, connector, task, discoverTimestamp}}")
    func statusRecordFormat() throws {
        let entry = ActiveTopics.Entry(topic: "orders", connector: "jdbc:connector-x", task: 3, discoverTimestampMs: 1_700_000_000_123)
        #expect(ActiveTopics.statusKey(topic: "orders", connector: "jdbc:connector-x") == "status-topic-orders:connector-jdbc:connector-x")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(ActiveTopics.statusValue(entry))) as? [String: Any])
        let fields = try #require(object["topic"] as? [String: Any])
        #expect(fields["name"] as? String == "orders")
        #expect(fields["connector"] as? String == "jdbc:connector-x")
        #expect(fields["task"] as? Int == 3)
        #expect((fields["discoverTimestamp"] as? NSNumber)?.int64Value == 1_700_000_000_123)

        // Read back (as another worker reads the status topic), the key splits at the first separator.
        let reader = ActiveTopics()
        #expect(reader.apply(key: ActiveTopics.statusKey(topic: "orders", connector: "jdbc:connector-x"), value: ActiveTopics.statusValue(entry)))
        #expect(reader.entries(of: "jdbc:connector-x") == [entry])
        #expect(reader.apply(key: "status-topic-orders:connector-jdbc:connector-x", value: nil))
        #expect(reader.topics(of: "jdbc:connector-x").isEmpty, "a tombstone forgets the topic")
        #expect(!reader.apply(key: "status-connector-x", value: Array("{}".utf8)), "other status records are not topic records")
        #expect(reader.apply(key: "status-topic-t:connector-y", value: Array("not json".utf8)), "an unreadable value is passed over")
        #expect(reader.topics(of: "y").isEmpty)
    }

    @Test("topic.tracking.enable and topic.tracking.allow.reset default to true, take true/false in any case, and refuse other values")
    func workerSettings() throws {
        let defaults = try WorkerConfig(properties: ["bootstrap.servers": "localhost:9092"])
        #expect(defaults.topicTrackingEnabled && defaults.topicTrackingAllowsReset)
        let off = try WorkerConfig(properties: ["bootstrap.servers": "localhost:9092", "topic.tracking.enable": "FALSE", "topic.tracking.allow.reset": "false"])
        #expect(!off.topicTrackingEnabled && !off.topicTrackingAllowsReset)
        do {
            _ = try WorkerConfig(properties: ["bootstrap.servers": "localhost:9092", "topic.tracking.enable": "maybe"])
            Issue.record("a bad value was accepted")
        } catch let RuntimeError.invalidConnectorConfig(_, problems) {
            #expect(problems.map(\.name) == ["topic.tracking.enable"])
        }
    }

    @Test("a standalone worker records the topic a source's records were routed to and the topic a sink read; deleting a connector forgets its topics")
    func standalone() throws {
        let cluster = try EmbeddedKafka()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("active-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let standalone = try StandaloneWorker(
            config: WorkerConfig(properties: [
                "bootstrap.servers": cluster.bootstrapServers, "offset.storage.file.filename": path,
                "producer.log_level": "0", "consumer.log_level": "0",
            ]),
            registry: .testing)
        try standalone.start()
        defer { try? standalone.stop() }
        let topics = try #require(standalone.activeTopics)
        try standalone.putConnector(
            "numbers",
            config: [
                "connector.class": "numbers", "count": "50", "topic": "active-out",
                "transforms": "route", "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
                "transforms.route.regex": "(.*)", "transforms.route.replacement": "routed-$1",
            ],
            mustBeNew: true)
        try standalone.putConnector("reader", config: ["connector.class": "recording-sink", "topics": "routed-active-out"], mustBeNew: true)
        let deadline = Date().addingTimeInterval(30)
        while (topics.topics(of: "numbers").isEmpty || topics.topics(of: "reader").isEmpty) && Date() < deadline { usleep(50_000) }
        #expect(topics.topics(of: "numbers") == ["routed-active-out"], "the topic the records went to, not the configured one")
        #expect(topics.topics(of: "reader") == ["routed-active-out"])
        try standalone.deleteConnector("numbers")
        #expect(topics.topics(of: "numbers").isEmpty)
        #expect(topics.topics(of: "reader") == ["routed-active-out"])
    }

    @Test("with topic.tracking.enable=false nothing is recorded")
    func disabled() throws {
        let standalone = try StandaloneWorker(
            config: WorkerConfig(properties: ["bootstrap.servers": "127.0.0.1:1", "topic.tracking.enable": "false"]), registry: .testing)
        #expect(standalone.activeTopics == nil)
        #expect(standalone.worker.settings.activeTopics == nil)
    }
}
