import Foundation
import SluiceCore
import SluiceKafka
import SluiceRuntime
import Synchronization
import Testing

/// A text source: "line 0", "line 1", ...; the offset of a batch is its last line number + 1.
final class TextSource: SourceTask, @unchecked Sendable {
    let total: Int
    private var next = 0
    let committedOffset = Mutex<Int64>(-1)
    /// Every committed offset, in commit order.
    let committedOffsets = Mutex<[Int64]>([])

    init(total: Int) { self.total = total }

    var valueFormat: SourceValueFormat { .string }
    func sourcePartitionName(_ index: Int) -> String? { "text" }

    func poll(into batch: RecordBatch) throws -> SourcePollResult {
        try TextLines.fill(batch, next: &next, total: total)
    }

    func commit(batch: RecordBatch) {
        if batch.sourceOffset >= 0 {
            committedOffset.withLock { $0 = batch.sourceOffset }
            committedOffsets.withLock { $0.append(batch.sourceOffset) }
        }
    }
}

@Suite("Converters and transforms on the source path")
struct ConvertedSourcePathTests {
    func run(
        _ config: [String: String], total: Int, topic: String, cluster: EmbeddedKafka, mode: ProduceMode = .automatic,
        batchBytes: Int = 8 * 1024, maxRecordsPerBatch: Int = 256, producerPath: ProducerPath = .automatic,
        producerSettings: [String: String] = [:]
    ) throws -> (TextSource, SourceTaskRunner) {
        var producer = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        producer["log_level"] = "0"
        for (key, value) in producerSettings { producer[key] = value }
        var settings = SourceTaskRunner.Settings()
        settings.mode = mode
        settings.producerPath = producerPath
        settings.batchBytes = batchBytes
        settings.maxRecordsPerBatch = maxRecordsPerBatch
        let source = TextSource(total: total)
        let runner = try SourceTaskRunner(
            task: source, context: TaskContext(connectorName: "text", taskID: 0, config: config),
            topic: topic, producerConfiguration: producer, settings: settings)
        try runner.start()
        runner.join()
        return (source, runner)
    }

    func values(topic: String, count: Int, cluster: EmbeddedKafka) throws -> [String] {
        var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        config["log_level"] = "0"
        let consumer = try Consumer(configuration: config)
        try consumer.assign(topic: topic, partitions: [0])
        let batch = ConsumedBatch(capacity: 1000)
        var result: [String] = []
        for _ in 0..<200 where result.count < count {
            try consumer.poll(into: batch, timeoutMs: 50)
            for i in 0..<batch.count where batch[i].error == nil {
                result.append(String(decoding: batch[i].value!, as: UTF8.self))
            }
        }
        return result
    }

    @Test("a JsonConverter and a RegexRouter: values in Kafka Connect's envelope, on the routed topic")
    func jsonAndRouter() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("raw", partitions: 1)
        try cluster.createTopic("routed-raw", partitions: 1)
        let (source, runner) = try run([
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
            "transforms": "route", "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
            "transforms.route.regex": "(.*)", "transforms.route.replacement": "routed-$1",
        ], total: 3000, topic: "raw", cluster: cluster)
        #expect(runner.state == .stopped, "\(runner.error.map { "\($0)" } ?? "")")
        #expect(runner.deliveryStatistics.delivered == 3000)
        #expect(source.committedOffset.withLock { $0 } == 3000)
        let values = try values(topic: "routed-raw", count: 3000, cluster: cluster)
        #expect(values.count == 3000)
        #expect(values.first == #"{"schema":{"type":"string","optional":false},"payload":"line 0"}"#)
        #expect(values.last == #"{"schema":{"type":"string","optional":false},"payload":"line 2999"}"#)
    }

    @Test("converting on both threads keeps every record once and in order", arguments: [ProduceMode.automatic, .direct])
    func sharedConversionKeepsOrder(mode: ProduceMode) throws {
        let cluster = try EmbeddedKafka()
        let topic = "ordered-\(mode.rawValue)"
        try cluster.createTopic(topic, partitions: 1)
        let total = 40_000
        let (source, runner) = try run([
            "value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "false",
        ], total: total, topic: topic, cluster: cluster, mode: mode)
        #expect(runner.state == .stopped, "\(runner.error.map { "\($0)" } ?? "")")
        #expect(runner.deliveryStatistics.delivered == total)
        #expect(source.committedOffset.withLock { $0 } == Int64(total))
        let values = try values(topic: topic, count: total, cluster: cluster)
        #expect(values == (0..<total).map { "\"line \($0)\"" }, "every record once, in the order written")
        let offsets = source.committedOffsets.withLock { $0 }
        #expect(zip(offsets, offsets.dropFirst()).allSatisfy { $0 < $1 }, "offsets are committed in increasing order")
        if mode == .automatic {
            #expect(runner.mode == .lane)
            #expect(runner.laneConversions.load(ordering: .relaxed) > 0, "the lane converted some batches")
        } else {
            #expect(runner.laneConversions.load(ordering: .relaxed) == 0)
        }
    }

    @Test("an input that converts into more batches than the lane's pool holds: the lane waits for its own deliveries")
    func laneOutgrowsItsPool() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("enveloped", partitions: 1)
        let total = 20_000
        // 1,024 short lines fill one 16 KiB input batch; in schema envelopes (about 65
        // bytes each) they need five output batches, one more than the lane's pool.
        let (source, runner) = try run(
            ["value.converter": "org.apache.kafka.connect.json.JsonConverter"], total: total, topic: "enveloped",
            cluster: cluster, batchBytes: 16 * 1024, maxRecordsPerBatch: 1024)
        #expect(runner.state == .stopped, "\(runner.error.map { "\($0)" } ?? "")")
        #expect(runner.laneConversions.load(ordering: .relaxed) > 0)
        #expect(runner.deliveryStatistics.delivered == total)
        #expect(source.committedOffset.withLock { $0 } == Int64(total))
        let values = try values(topic: "enveloped", count: total, cluster: cluster)
        #expect(values == (0..<total).map { #"{"schema":{"type":"string","optional":false},"payload":"line \#($0)"}"# })
        let offsets = source.committedOffsets.withLock { $0 }
        #expect(zip(offsets, offsets.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test("a Filter that drops everything still commits the source offsets")
    func filterAll() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("dropped", partitions: 1)
        let (source, runner) = try run([
            "transforms": "drop", "transforms.drop.type": "org.apache.kafka.connect.transforms.Filter",
            "transforms.drop.predicate": "all", "predicates": "all",
            "predicates.all.type": "org.apache.kafka.connect.transforms.predicates.TopicNameMatches", "predicates.all.pattern": ".*",
        ], total: 1000, topic: "dropped", cluster: cluster)
        #expect(runner.state == .stopped)
        #expect(runner.deliveryStatistics.delivered == 0)
        #expect(source.committedOffset.withLock { $0 } == 1000)
    }

    @Test("a transform that cannot apply fails the task, or skips the record with errors.tolerance=all")
    func tolerance() throws {
        let cluster = try EmbeddedKafka()
        let insert = [
            "transforms": "i", "transforms.i.type": "org.apache.kafka.connect.transforms.InsertField$Value",
            "transforms.i.static.field": "x", "transforms.i.static.value": "y",
        ]
        let (_, failed) = try run(insert, total: 10, topic: "strict", cluster: cluster)
        #expect(failed.state == .failed)
        #expect(failed.errorCounters.recordErrors.load(ordering: .relaxed) == 1, "the record that failed the task is an error")
        #expect(failed.errorCounters.recordsSkipped.load(ordering: .relaxed) == 0)
        #expect("\(failed.error.map { "\($0)" } ?? "")".contains("InsertField only works on object values"))
        var tolerant = insert
        tolerant["errors.tolerance"] = "all"
        let (source, skipped) = try run(tolerant, total: 10, topic: "tolerant", cluster: cluster)
        #expect(skipped.state == .stopped)
        #expect(skipped.deliveryStatistics.delivered == 0)
        #expect(source.committedOffset.withLock { $0 } == 10)
    }

    @Test("records that fail go to the dead-letter topic as written, with Kafka Connect's context headers")
    func deadLetterQueue() throws {
        let started = Int64(Date().timeIntervalSince1970 * 1000)
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("dlq", partitions: 1)
        let (source, runner) = try run([
            "transforms": "i", "transforms.i.type": "org.apache.kafka.connect.transforms.InsertField$Value",
            "transforms.i.static.field": "x", "transforms.i.static.value": "y",
            "errors.tolerance": "all", "errors.deadletterqueue.topic.name": "dlq",
            "errors.deadletterqueue.context.headers.enable": "true",
        ], total: 50, topic: "poisoned", cluster: cluster)
        #expect(runner.state == .stopped)
        #expect(runner.deliveryStatistics.delivered == 50, "every record reaches the dead-letter topic")
        #expect(source.committedOffset.withLock { $0 } == 50)
        var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        config["log_level"] = "0"
        let consumer = try Consumer(configuration: config)
        try consumer.assign(topic: "dlq", partitions: [0])
        let batch = ConsumedBatch(capacity: 100)
        var records: [(String, [RecordHeader])] = []
        for _ in 0..<100 where records.count < 50 {
            try consumer.poll(into: batch, timeoutMs: 50)
            for i in 0..<batch.count where batch[i].error == nil {
                records.append((String(decoding: batch[i].value!, as: UTF8.self), batch[i].headers))
            }
        }
        #expect(records.count == 50)
        #expect(records.first?.0 == "line 0")
        let headers = Dictionary(uniqueKeysWithValues: (records.first?.1 ?? []).map { ($0.name, String(decoding: $0.value ?? [], as: UTF8.self)) })
        #expect((records.first?.1 ?? []).map(\.name) == ErrorContextHeadersTests.kafkaHeaderNames)
        #expect(headers["__connect.errors.topic"] == "poisoned")
        #expect(headers["__connect.errors.partition"] == "-1", "the task chose no partition")
        #expect(headers["__connect.errors.offset"] == "-1", "a source record has no offset yet")
        #expect(headers["__connect.errors.stage"] == "TRANSFORMATION")
        #expect(headers["__connect.errors.class.name"] == "org.apache.kafka.connect.transforms.InsertField$Value")
        #expect(headers["__connect.errors.connector.name"] == "text")
        #expect(headers["__connect.errors.task.id"] == "0")
        #expect(headers["__connect.errors.exception.class.name"] == "SluiceRuntime.ConversionError")
        let message = try #require(headers["__connect.errors.exception.message"])
        #expect(message.contains("InsertField only works on object values"))
        #expect(headers["__connect.errors.exception.stacktrace"] == """
            SluiceRuntime.ConversionError: \(message)
            \tcase: unsupported
            \tat org.apache.kafka.connect.transforms.InsertField$Value (stage TRANSFORMATION, connector text, task 0)
            """)
        let errors = runner.errorCounters
        #expect(errors.recordFailures.load(ordering: .relaxed) == 50)
        #expect(errors.recordErrors.load(ordering: .relaxed) == 50)
        #expect(errors.recordsSkipped.load(ordering: .relaxed) == 50)
        #expect(errors.deadLetterRequests.load(ordering: .relaxed) == 50)
        #expect(errors.deadLetterFailures.load(ordering: .relaxed) == 0)
        #expect(errors.errorsLogged.load(ordering: .relaxed) == 0, "errors.log.enable is off")
        #expect(errors.retries.load(ordering: .relaxed) == 0)
        #expect(errors.lastErrorTimestampMs.load(ordering: .relaxed) >= started)
    }

    @Test("dead letters Kafka does not take are counted as deadletterqueue-produce-failures", arguments: [ProducerPath.librdkafka, .native])
    func deadLetterFailures(path: ProducerPath) throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("dlq", partitions: 1)
        try cluster.setBrokerDown(1)
        let (_, runner) = try run([
            "transforms": "i", "transforms.i.type": "org.apache.kafka.connect.transforms.InsertField$Value",
            "transforms.i.static.field": "x", "errors.tolerance": "all", "errors.deadletterqueue.topic.name": "dlq",
        ], total: 20, topic: "poisoned", cluster: cluster, producerPath: path, producerSettings: ["message.timeout.ms": "300"])
        #expect(runner.state == .failed, "a record Kafka did not take fails the task")
        let errors = runner.errorCounters
        #expect(errors.deadLetterRequests.load(ordering: .relaxed) == 20)
        #expect(errors.deadLetterFailures.load(ordering: .relaxed) == 20, "\(runner.error.map { "\($0)" } ?? "")")
    }

    @Test("stopping a task on the converted path ends it STOPPED, not FAILED")
    func stopWhileConverting() throws {
        let cluster = try EmbeddedKafka()
        var producer = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        producer["log_level"] = "0"
        var settings = SourceTaskRunner.Settings()
        settings.batchCount = 2
        settings.batchBytes = 4 * 1024
        settings.maxRecordsPerBatch = 64
        let runner = try SourceTaskRunner(
            task: TextSource(total: Int.max),
            context: TaskContext(connectorName: "endless", taskID: 0, config: ["value.converter": "JsonConverter"]),
            topic: "endless", producerConfiguration: producer, settings: settings)
        try runner.start()
        usleep(300_000)
        runner.stop()
        runner.join()
        #expect(runner.state == .stopped, "\(runner.error.map { "\($0)" } ?? "")")
        #expect(runner.error == nil)
        #expect(runner.deliveryStatistics.delivered > 0)
    }

    @Test("bad converter or transform settings are refused when the runner is made")
    func badSettings() throws {
        let cluster = try EmbeddedKafka()
        var producer = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        producer["log_level"] = "0"
        #expect(throws: RuntimeError.self) {
            try SourceTaskRunner(
                task: TextSource(total: 1), context: TaskContext(connectorName: "t", taskID: 0, config: ["value.converter": "Avro"]),
                topic: "t", producerConfiguration: producer)
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
