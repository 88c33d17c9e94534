import SluiceKafka
@testable import SluiceRuntime
import Synchronization
import Testing

/// The thread that alone reads the internal topics: a sync returns only once what was
/// written before it has been handed to the herder.
@Suite("InternalTopicTail")
struct InternalTopicTailTests {
    @Test("a sync sees every record written before it; a stopped tail times out instead of hanging")
    func sync() throws {
        let cluster = try EmbeddedKafka()
        for topic in ["cfg", "st", "off"] { try cluster.createTopic(topic, partitions: topic == "cfg" ? 1 : 3) }
        var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        config["log_level"] = "0"
        config["fetch.wait.max.ms"] = "50"
        let seen = Mutex<[String]>([])
        let tail = try InternalTopicTail(
            configTopic: "cfg", statusTopic: "st", offsetTopic: "off", configuration: config, log: { _ in }
        ) { topic, entry in
            seen.withLock { $0.append("\(topic):\(String(decoding: entry.key ?? [], as: UTF8.self))") }
        }
        let writer = try MessageProducer(configuration: config)
        try writer.send([MessageProducer.Message(topic: "cfg", partition: 0, key: Array("before-start".utf8), value: [1])])
        try tail.readAllToEnd(timeoutMs: 10_000)
        #expect(seen.withLock { $0 } == ["config:before-start"])
        try tail.start()
        for round in 0..<5 {
            try writer.send([
                MessageProducer.Message(topic: "cfg", partition: 0, key: Array("c\(round)".utf8), value: [1]),
                MessageProducer.Message(topic: "off", partition: Int32(round % 3), key: Array("o\(round)".utf8), value: [1]),
            ])
            try tail.sync(.config, timeoutMs: 10_000)
            #expect(seen.withLock { $0 }.contains("config:c\(round)"), "round \(round)")
            try tail.sync(.offsets, timeoutMs: 10_000)
            #expect(seen.withLock { $0 }.contains("offsets:o\(round)"), "round \(round)")
        }
        tail.stop()
        #expect(throws: KafkaError.self) { try tail.sync(.status, timeoutMs: 200) }
    }
}
