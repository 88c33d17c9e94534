import Synchronization
import SluiceCore
import SluiceKafka
@testable import SluiceRuntime
import Testing

/// A source that counts: record i has the 8-byte value i. Commits are recorded.
final class CountingSource: SourceTask, @unchecked Sendable {
    let total: Int
    let failAt: Int?
    private var next = 0
    let committed = Mutex<[UInt64]>([])
    let committedRecords = Mutex<Int>(0)

    init(total: Int, failAt: Int? = nil) {
        self.total = total
        self.failAt = failAt
    }

    func poll(into batch: RecordBatch) throws -> SourcePollResult {
        while next < total {
            if let failAt, next == failAt { throw SourceFailure() }
            let value = next
            let ok = try batch.append(keyLength: -1, valueLength: 8) { _, bytes in
                bytes.storeBytes(of: UInt64(value).littleEndian, as: UInt64.self)
            }
            if !ok { return .batchFull }
            next += 1
        }
        return .endOfData
    }

    func commit(batch: RecordBatch) {
        committed.withLock { $0.append(batch.batchSequence) }
        committedRecords.withLock { $0 += batch.count }
    }
}

struct SourceFailure: Error, CustomStringConvertible {
    var description: String { "the source broke" }
}

@Suite("SourceTaskRunner on the embedded cluster")
struct SourceTaskRunnerTests {
    @Test("every record is delivered and committed, in batch order", arguments: ProduceMode.allCases)
    func deliversAndCommitsInOrder(mode: ProduceMode) throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("counted", partitions: 4)
        var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        config["log_level"] = "0"
        var settings = SourceTaskRunner.Settings()
        settings.mode = mode
        settings.batchCount = 4
        settings.batchBytes = 16 * 1024
        settings.maxRecordsPerBatch = 1024
        let source = CountingSource(total: 50_000)
        let runner = try SourceTaskRunner(
            task: source, context: TaskContext(connectorName: "test", taskID: 0, config: [:]),
            topic: "counted", producerConfiguration: config, settings: settings)
        try runner.start()
        runner.join()
        #expect(runner.state == .stopped)
        #expect(runner.error == nil)
        #expect(runner.deliveryStatistics.delivered == 50_000)
        let order = source.committed.withLock { $0 }
        #expect(order == (0..<UInt64(order.count)).map { $0 }, "commits must come in batch order")
        #expect(source.committedRecords.withLock { $0 } == 50_000)
        #expect(runner.sourceCounters.records.load(ordering: .relaxed) == 50_000)
    }

    @Test("automatic mode produces directly on the zero-copy path and through a lane when records are converted")
    func automaticMode() throws {
        let cluster = try EmbeddedKafka()
        let config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        let converting = ["value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "false"]
        func runner(_ mode: ProduceMode, _ connector: [String: String]) throws -> SourceTaskRunner {
            var settings = SourceTaskRunner.Settings()
            settings.mode = mode
            return try SourceTaskRunner(
                task: CountingSource(total: 1), context: TaskContext(connectorName: "m", taskID: 0, config: connector),
                topic: "t", producerConfiguration: config, settings: settings)
        }
        #expect(SourceTaskRunner.Settings().mode == .automatic)
        #expect(try runner(.automatic, [:]).mode == .direct)
        #expect(try runner(.automatic, converting).mode == .lane)
        #expect(try runner(.direct, converting).mode == .direct)
        #expect(try runner(.lane, [:]).mode == .lane)
    }

    @Test("a task that throws ends FAILED with its error, and nothing past it is committed")
    func failingTask() throws {
        let cluster = try EmbeddedKafka()
        var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        config["log_level"] = "0"
        let source = CountingSource(total: 10_000, failAt: 5_000)
        let runner = try SourceTaskRunner(
            task: source, context: TaskContext(connectorName: "test", taskID: 3, config: [:]),
            topic: "failing", producerConfiguration: config)
        try runner.start()
        runner.join()
        #expect(runner.state == .failed)
        #expect(runner.error is SourceFailure)
        #expect(source.committedRecords.withLock { $0 } <= 5_000)
    }

    @Test("a task whose records cannot be delivered ends FAILED naming the failure")
    func undeliverable() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("down", partitions: 1)
        try cluster.setBrokerDown(1)
        var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        config["log_level"] = "0"
        config["message.timeout.ms"] = "300"
        let source = CountingSource(total: 100)
        let runner = try SourceTaskRunner(
            task: source, context: TaskContext(connectorName: "test", taskID: 1, config: [:]),
            topic: "down", producerConfiguration: config)
        try runner.start()
        runner.join()
        #expect(runner.state == .failed)
        #expect("\(runner.error.map { "\($0)" } ?? "")".contains("task 1: 100 records were not delivered"))
        #expect(source.committedRecords.withLock { $0 } == 0)
    }
}
