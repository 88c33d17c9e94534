import Glibc
import SluiceCore
import SluiceKafka
@testable import SluiceRuntime
import Synchronization
import Testing

/// A sink that remembers which topic each record came from.
final class TopicRecordingSink: SinkTask, @unchecked Sendable {
    let topics = Mutex<[String: Int]>([:])

    func put(_ batch: ConsumedBatch) throws {
        for i in 0..<batch.count where batch[i].error == nil {
            let topic = batch[i].topic
            topics.withLock { $0[topic, default: 0] += 1 }
        }
    }
}

@Suite("A sink's topics: topics or topics.regex")
struct SinkTopicsTests {
    @Test("topics is a list; topics.regex is one pattern that must match a whole topic name")
    func subscription() {
        #expect(SinkTopics.subscription(from: ["topics": "a, b ,,c"]) == ["a", "b", "c"])
        #expect(SinkTopics.subscription(from: ["topics.regex": "orders-.*|refunds"]) == ["^(orders-.*|refunds)$"])
    }

    @Test("neither, both, or a pattern that does not compile: a clear error at validation", arguments: [
        ([:], "topics", "Must configure one of topics or topics.regex"),
        (["topics": "a", "topics.regex": "a.*"], "topics.regex", "mutually exclusive"),
        (["topics.regex": "orders-(["], "topics.regex", "not a valid regular expression"),
    ])
    func problems(config: [String: String], name: String, message: String) throws {
        var settings = config
        settings["name"] = "s"
        settings["connector.class"] = "test-sink"
        var registry = ConnectorRegistry()
        registry.register(["test-sink"], .sink { TopicSinkConnector() })
        let problems = try ConnectorValidation.check(settings, registry: registry).problems
        #expect(problems.count == 1)
        #expect(problems.first?.name == name)
        #expect(problems.first?.message.contains(message) == true, "\(problems)")
    }

    @Test("a sink with topics.regex reads every matching topic, a matching topic created later too, and nothing else")
    func regexSubscription() throws {
        let cluster = try EmbeddedKafka()
        for topic in ["orders-eu", "orders-us", "payments"] { try cluster.createTopic(topic, partitions: 1) }
        var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        config["log_level"] = "0"
        let writer = try MessageProducer(configuration: config)
        func send(_ topic: String, _ count: Int) throws {
            try writer.send((0..<count).map { .init(topic: topic, key: nil, value: Array("\(topic) \($0)".utf8)) })
        }
        try send("orders-eu", 10)
        try send("orders-us", 20)
        try send("payments", 30)
        var consumer = config
        consumer["topic.metadata.refresh.interval.ms"] = "500"
        // The embedded cluster holds a rejoining group until the session timeout has
        // nearly passed (45 s by default): keep it short so the new topic's rebalance
        // is quick.
        consumer["session.timeout.ms"] = "6000"
        consumer["heartbeat.interval.ms"] = "500"
        let sink = TopicRecordingSink()
        let connector = ["topics.regex": "orders-.*"]
        let runner = try SinkTaskRunner(
            task: sink, context: TaskContext(connectorName: "regex", taskID: 0, config: connector),
            topics: SinkTopics.subscription(from: connector), consumerConfiguration: consumer)
        try runner.start()
        defer {
            runner.stop()
            runner.join()
        }
        func seen() -> [String: Int] { sink.topics.withLock { $0 } }
        func waitFor(_ expected: [String: Int]) -> Bool {
            let deadline = MonotonicClock.nanoseconds() + 30_000_000_000
            while seen() != expected && MonotonicClock.nanoseconds() < deadline { usleep(50_000) }
            return seen() == expected
        }
        #expect(waitFor(["orders-eu": 10, "orders-us": 20]), "\(seen())")
        try cluster.createTopic("orders-asia", partitions: 1)
        try send("orders-asia", 5)
        #expect(waitFor(["orders-eu": 10, "orders-us": 20, "orders-asia": 5]), "a new matching topic is picked up: \(seen())")
    }
}

/// A sink connector with no settings of its own, for validation tests; its one
/// task gets the connector's config (so it reads the connector's topics).
final class TopicSinkConnector: SinkConnector {
    let configDef = ConfigDef()
    private var config: [String: String] = [:]
    func start(config: [String: String]) throws { self.config = config }
    func taskConfigs(maxTasks: Int) -> [[String: String]] { [config] }
    func makeTask() -> SinkTask { TopicRecordingSink() }
}
