import Foundation
import SluiceCore
import SluiceKafka
import SluiceRuntime
import Synchronization
import Testing

/// A sink that counts the converted records it was given.
final class ConvertedCountingSink: SinkTask, @unchecked Sendable {
    let count = Mutex(0)
    func put(_ batch: ConsumedBatch) throws {}
    func put(records: [ConnectRecord]) throws { count.withLock { $0 += records.count } }
}

@Suite("Dead letters and error metrics on the sink path")
struct SinkDeadLetterTests {
    @Test("a record the converter refuses goes to the dead-letter topic with every context header, and is counted")
    func deadLetters() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("orders", partitions: 1)
        try cluster.createTopic("orders-dlq", partitions: 1)
        var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        config["log_level"] = "0"
        // 20 JSON values; records 7 and 15 are not JSON.
        let pool = BatchPool(batchCount: 1, arenaBytes: 1 << 16, maxRecords: 100)
        let producer = try Producer(topic: "orders", configuration: config) { pool.release($0) }
        let batch = try #require(pool.tryAcquire())
        for i in 0..<20 {
            let value = i == 7 || i == 15 ? "not json \(i)" : #"{"n":\#(i)}"#
            _ = try Array(value.utf8).withUnsafeBytes { try batch.append(key: nil, value: $0) }
        }
        try producer.produce(batch)
        try producer.flush(timeoutMs: 10_000)
        #expect(producer.statistics.delivered == 20)

        let sink = ConvertedCountingSink()
        let runner = try SinkTaskRunner(
            task: sink,
            context: TaskContext(
                connectorName: "orders-sink", taskID: 3,
                config: [
                    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
                    "value.converter.schemas.enable": "false",
                    "errors.tolerance": "all", "errors.log.enable": "true",
                    "errors.deadletterqueue.topic.name": "orders-dlq",
                    "errors.deadletterqueue.context.headers.enable": "true",
                ]),
            topics: ["orders"], consumerConfiguration: config)
        try runner.start()
        let deadline = Date().addingTimeInterval(30)
        while sink.count.withLock({ $0 }) < 18 && Date() < deadline { usleep(20_000) }
        runner.stop()
        runner.join()
        #expect(runner.state == .stopped, "\(runner.error.map { "\($0)" } ?? "")")
        #expect(sink.count.withLock { $0 } == 18)

        let errors = runner.errorCounters
        #expect(errors.recordFailures.load(ordering: .relaxed) == 2)
        #expect(errors.recordErrors.load(ordering: .relaxed) == 2)
        #expect(errors.recordsSkipped.load(ordering: .relaxed) == 2)
        #expect(errors.errorsLogged.load(ordering: .relaxed) == 2)
        #expect(errors.deadLetterRequests.load(ordering: .relaxed) == 2)
        #expect(errors.deadLetterFailures.load(ordering: .relaxed) == 0)
        #expect(errors.lastErrorTimestampMs.load(ordering: .relaxed) > 0)

        let consumer = try Consumer(configuration: config)
        try consumer.assign(topic: "orders-dlq", partitions: [0])
        let read = ConsumedBatch(capacity: 10)
        var dead: [(value: String, headers: [(String, String)])] = []
        for _ in 0..<100 where dead.count < 2 {
            try consumer.poll(into: read, timeoutMs: 50)
            for i in 0..<read.count where read[i].error == nil {
                dead.append(
                    (
                        String(decoding: read[i].value!, as: UTF8.self),
                        read[i].headers.map { ($0.name, String(decoding: $0.value ?? [], as: UTF8.self)) }
                    ))
            }
        }
        #expect(dead.map(\.value) == ["not json 7", "not json 15"])
        let headers = try #require(dead.first?.headers)
        #expect(headers.map(\.0) == ErrorContextHeadersTests.kafkaHeaderNames)
        let values = Dictionary(headers) { $1 }
        #expect(values["__connect.errors.topic"] == "orders")
        #expect(values["__connect.errors.partition"] == "0")
        #expect(values["__connect.errors.offset"] == "7")
        #expect(values["__connect.errors.connector.name"] == "orders-sink")
        #expect(values["__connect.errors.task.id"] == "3")
        #expect(values["__connect.errors.stage"] == "VALUE_CONVERTER")
        #expect(values["__connect.errors.class.name"] == "org.apache.kafka.connect.json.JsonConverter")
        #expect(values["__connect.errors.exception.class.name"] == "SluiceRuntime.ConversionError")
        let message = try #require(values["__connect.errors.exception.message"])
        #expect(!message.isEmpty)
        #expect(
            values["__connect.errors.exception.stacktrace"]?.hasPrefix(
                "SluiceRuntime.ConversionError: \(message)\n\tcase: malformed\n\tat org.apache.kafka.connect.json.JsonConverter (stage VALUE_CONVERTER, connector orders-sink, task 3)"
            ) == true,
            "\(values["__connect.errors.exception.stacktrace"] ?? "")")
    }
}
