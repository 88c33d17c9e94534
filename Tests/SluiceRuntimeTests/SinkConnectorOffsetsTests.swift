import Foundation
import SluiceKafka
@testable import SluiceRuntime
import Testing

/// KIP-875's read side for sinks: a sink connector's offsets are its group's commits.
@Suite("Sink connector offsets")
struct SinkConnectorOffsetsTests {
    /// A started standalone worker on `cluster` with the test connectors, and its offsets file.
    static func startedWorker(_ cluster: EmbeddedKafka) throws -> (StandaloneWorker, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sink-offsets-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json").path
        let standalone = try StandaloneWorker(
            config: WorkerConfig(properties: [
                "bootstrap.servers": cluster.bootstrapServers, "offset.storage.file.filename": path,
                "producer.log_level": "0", "consumer.log_level": "0", "offset.flush.interval.ms": "200",
            ]),
            registry: .testing)
        try standalone.start()
        return (standalone, path)
    }

    @Test("a sink's offsets are its consumer group's committed offsets of every partition of its topics, by topics or topics.regex")
    func committed() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("sunk", partitions: 2)
        let (standalone, path) = try Self.startedWorker(cluster)
        defer {
            try? standalone.stop()
            try? FileManager.default.removeItem(atPath: path)
        }
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

    @Test("a STOPPED sink's offsets are altered through its group and its tasks start from them; reset and forgetting a partition are clear errors where the cluster lacks them")
    func altered() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("moved", partitions: 2)
        let (standalone, path) = try Self.startedWorker(cluster)
        defer {
            try? standalone.stop()
            try? FileManager.default.removeItem(atPath: path)
        }
        try standalone.putConnector("numbers", config: ["connector.class": "numbers", "count": "60", "topic": "moved"], mustBeNew: true)
        let probe = try Consumer(configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers))
        var ends: [Int64] = []
        let written = Date().addingTimeInterval(30)
        repeat {
            ends = try (0..<2).map { try probe.watermarks(topic: "moved", partition: Int32($0), timeoutMs: 5_000).high }
            if ends.reduce(0, +) == 60 { break }
            usleep(100_000)
        } while Date() < written
        #expect(ends.reduce(0, +) == 60)
        let start = ends.map { $0 / 2 }

        try standalone.putConnector("reader", config: ["connector.class": "recording-sink", "topics": "moved"], mustBeNew: true, initialState: .stopped)
        try standalone.alterSinkOffsets("reader", to: [
            SinkConnectorOffsets.Change(topic: "moved", partition: 0, offset: start[0]),
            SinkConnectorOffsets.Change(topic: "moved", partition: 1, offset: start[1]),
        ])
        #expect(try standalone.sinkOffsets("reader").map(\.offset) == start)
        #expect(throws: KafkaError.self) { try standalone.alterSinkOffsets("reader", to: nil) }
        #expect(throws: KafkaError.self) {
            try standalone.alterSinkOffsets("reader", to: [SinkConnectorOffsets.Change(topic: "moved", partition: 0, offset: nil)])
        }
        #expect(throws: HerderError.sourceOffsetsShape("numbers")) { try standalone.alterSinkOffsets("numbers", to: nil) }

        try standalone.setTargetState("reader", .started)
        #expect(throws: HerderError.notStopped("reader")) { try standalone.alterSinkOffsets("reader", to: nil) }
        var offsets: [Int64] = []
        let read = Date().addingTimeInterval(40)
        repeat {
            offsets = try standalone.sinkOffsets("reader").map(\.offset)
            if offsets == ends { break }
            usleep(200_000)
        } while Date() < read
        #expect(offsets == ends)
        let id = ConnectorTaskID(connector: "reader", task: 0)
        let given = standalone.metrics.taskCounters[id]?.task.records.load(ordering: .relaxed)
        #expect(given == Int(60 - start.reduce(0, +)), "the task was given only the records after the altered offsets")

        // Once a member has joined, the embedded cluster refuses outside commits for
        // good (Kafka takes them again once the group is empty): an error naming the group.
        try standalone.setTargetState("reader", .stopped)
        #expect(throws: KafkaError.groupHasMembers(group: "connect-reader", reason: "moved-0: Broker: Unknown member")) {
            try standalone.alterSinkOffsets("reader", to: [SinkConnectorOffsets.Change(topic: "moved", partition: 0, offset: 0)])
        }
        #expect(try standalone.sinkOffsets("reader").map(\.offset) == ends, "a refused change changed nothing")
    }
}
