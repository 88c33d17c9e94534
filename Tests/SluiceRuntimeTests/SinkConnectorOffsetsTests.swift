import Foundation
import SluiceKafka
@testable import SluiceRuntime
import Testing

/// KIP-875's read side for sinks: a sink connector's offsets are its group's commits.
@Suite("Sink connector offsets")
struct SinkConnectorOffsetsTests {
    @Test("a sink's offsets are its consumer group's committed offsets of every partition of its topics, by topics or topics.regex")
    func committed() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("sunk", partitions: 2)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sink-offsets-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let standalone = try StandaloneWorker(
            config: WorkerConfig(properties: [
                "bootstrap.servers": cluster.bootstrapServers, "offset.storage.file.filename": path,
                "producer.log_level": "0", "consumer.log_level": "0", "offset.flush.interval.ms": "200",
            ]),
            registry: .testing)
        try standalone.start()
        defer { try? standalone.stop() }
        try standalone.putConnector("numbers", config: ["connector.class": "numbers", "count": "60", "topic": "sunk"], mustBeNew: true)
        try standalone.putConnector("reader", config: ["connector.class": "recording-sink", "topics": "sunk"], mustBeNew: true)
        try standalone.putConnector("by-regex", config: ["connector.class": "recording-sink", "topics.regex": "su.k"], mustBeNew: true)
        for name in ["reader", "by-regex"] {
            var offsets: [ConsumerGroupAdmin.PartitionOffset] = []
            let deadline = Date().addingTimeInterval(40)
            repeat {
                offsets = try standalone.sinkOffsets(name)
                if offsets.map(\.offset).reduce(0, +) == 60 { break }
                usleep(200_000)
            } while Date() < deadline
            #expect(offsets.map(\.offset).reduce(0, +) == 60, "\(name): \(offsets)")
            #expect(Set(offsets.map(\.topic)) == ["sunk"])
        }
        #expect(throws: HerderError.notFound("nobody")) { try standalone.sinkOffsets("nobody") }
    }
}
