import Glibc
import SluiceCore
import SluiceKafka
import Synchronization
import Testing

@testable import SluiceRuntime

/// A source whose even lines carry a `keep` header, every line an `origin` header and a
/// `debug` header: "line 0", "line 1", ...
final class HeaderedSource: SourceTask, @unchecked Sendable {
    let total: Int
    private var next = 0

    init(total: Int) { self.total = total }

    var valueFormat: SourceValueFormat { .string }
    func sourcePartitionName(_ index: Int) -> String? { "headered" }

    func poll(into batch: RecordBatch) throws -> SourcePollResult {
        while next < total {
            var headers = [
                RecordHeader(name: "origin", value: Array("headered".utf8)), RecordHeader(name: "debug", value: nil),
            ]
            if next % 2 == 0 { headers.append(RecordHeader(name: "keep", value: Array("\(next)".utf8))) }
            let appended = try Array("line \(next)".utf8).withUnsafeBytes {
                try batch.append(key: nil, value: $0, headers: headers, timestampMs: 0, partition: 0)
            }
            guard appended else { return .batchFull }
            next += 1
            batch.sourcePartition = 0
            batch.sourceOffset = Int64(next)
        }
        return .endOfData
    }
}

/// A sink that keeps the converted records it is given.
final class RecordKeepingSink: SinkTask, @unchecked Sendable {
    let records = Mutex<[ConnectRecord]>([])
    /// Batches put unconverted (none, when the connector has transforms).
    let rawBatches = Mutex(0)

    func put(_ batch: ConsumedBatch) throws {
        rawBatches.withLock { $0 += 1 }
    }

    func put(records: [ConnectRecord]) throws {
        self.records.withLock { $0 += records }
    }
}

@Suite("Headers through source → Kafka → sink, with transform chains on both sides")
struct HeadersEndToEndTests {
    @Test("headers written by a task, changed by source transforms, reach the sink's transforms and task")
    func sourceToSink() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("headered", partitions: 1)
        var client = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        client["log_level"] = "0"
        let total = 200

        // Source: add a `stage` header, drop `debug`.
        let sourceConfig = [
            "value.converter": "org.apache.kafka.connect.storage.StringConverter",
            "transforms": "stage,undebug",
            "transforms.stage.type": "org.apache.kafka.connect.transforms.InsertHeader",
            "transforms.stage.header": "stage", "transforms.stage.value.literal": "source",
            "transforms.undebug.type": "org.apache.kafka.connect.transforms.DropHeaders",
            "transforms.undebug.headers": "debug",
        ]
        let source = try SourceTaskRunner(
            task: HeaderedSource(total: total),
            context: TaskContext(connectorName: "headered", taskID: 0, config: sourceConfig),
            topic: "headered", producerConfiguration: client, settings: SourceTaskRunner.Settings())
        try source.start()
        source.join()
        #expect(source.state == .stopped, "\(source.error.map { "\($0)" } ?? "")")
        #expect(source.deliveryStatistics.delivered == total)

        // Sink: keep only records with a `keep` header, wrap the line, add the offset and a header.
        let sinkConfig = [
            "value.converter": "org.apache.kafka.connect.storage.StringConverter",
            "predicates": "kept",
            "predicates.kept.type": "org.apache.kafka.connect.transforms.predicates.HasHeaderKey",
            "predicates.kept.name": "keep",
            "transforms": "onlyKept,wrap,offset,sunk",
            "transforms.onlyKept.type": "org.apache.kafka.connect.transforms.Filter",
            "transforms.onlyKept.predicate": "kept", "transforms.onlyKept.negate": "true",
            "transforms.wrap.type": "org.apache.kafka.connect.transforms.HoistField$Value",
            "transforms.wrap.field": "line",
            "transforms.offset.type": "org.apache.kafka.connect.transforms.InsertField$Value",
            "transforms.offset.offset.field": "offset",
            "transforms.sunk.type": "org.apache.kafka.connect.transforms.InsertHeader",
            "transforms.sunk.header": "stage", "transforms.sunk.value.literal": "sink",
        ]
        let sink = RecordKeepingSink()
        let runner = try SinkTaskRunner(
            task: sink, context: TaskContext(connectorName: "headered-sink", taskID: 0, config: sinkConfig),
            topics: ["headered"], consumerConfiguration: client)
        try runner.start()
        let deadline = MonotonicClock.nanoseconds() + 30_000_000_000
        while sink.records.withLock({ $0.count }) < total / 2 && MonotonicClock.nanoseconds() < deadline {
            usleep(20_000)
        }
        runner.stop()
        runner.join()
        #expect(runner.state == .stopped, "\(runner.error.map { "\($0)" } ?? "")")

        let records = sink.records.withLock { $0 }
        #expect(sink.rawBatches.withLock { $0 } == 0)
        #expect(records.count == total / 2)
        func header(_ name: String, _ text: String) -> RecordHeader {
            RecordHeader(name: name, value: Array(text.utf8))
        }
        for (index, record) in records.enumerated() {
            let line = index * 2
            #expect(record.value == object(["line": .string("line \(line)"), "offset": .int(Int64(line))]))
            #expect(record.kafkaOffset == Int64(line))
            #expect(
                record.headers == [
                    header("origin", "headered"), header("keep", "\(line)"), header("stage", "source"),
                    header("stage", "sink"),
                ])
        }
    }
}
