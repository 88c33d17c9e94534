import Benchmark
import SluiceConnectors
import SluiceCore
import SluiceKafka

/// The zero-copy produce path against librdkafka's mock cluster in this process:
/// a datagen batch handed to `Producer` without copies, and the time until every
/// record of it is acknowledged and the batch is back.
///
/// One iteration produces 16 batches of 1 MiB with 100-byte records (about 9,500
/// each; 16 is a task's default pool) and waits until all 16 are reported, so
/// broker round trips overlap as they do in a running task. `records/s` is the custom metric; the mock keeps
/// only the newest 5 MiB per partition, which does not matter to a producer.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        // Iterations wait on a broker round trip each, so iterations/s (`throughput`)
        // swings with the mock's timers; records/s over the run and wall time are steadier.
        metrics: [.wallClock, ProduceMetric.recordsPerSecond],
        warmupIterations: 5,
        maxDuration: .seconds(5),
        maxIterations: 200,
        thresholds: [
            .wallClock: BenchmarkThresholds(relative: [.p50: 100, .p90: 200]),
            ProduceMetric.recordsPerSecond: BenchmarkThresholds(relative: [.p50: 50, .p90: 50]),
        ]
    )

    Benchmark("produce-16x1MiB-batches-100B-values-embedded-cluster") { benchmark, path in
        var records = 0
        let start = MonotonicClock.nanoseconds()
        for _ in benchmark.scaledIterations {
            records &+= try path.produceOneBatch()
        }
        let elapsed = Double(MonotonicClock.nanoseconds() &- start)
        benchmark.measurement(ProduceMetric.recordsPerSecond, Int(Double(records) * 1e9 / elapsed))
    } setup: {
        try ProducePathFixture()
    }
}

enum ProduceMetric {
    static let recordsPerSecond = BenchmarkMetric.custom("records/s", polarity: .prefersLarger, useScalingFactor: false)
}

/// A cluster, a producer and one datagen batch reused for every iteration.
final class ProducePathFixture: @unchecked Sendable {
    let cluster: EmbeddedKafka
    let producer: Producer
    let task = DatagenTask()
    let batches = (0..<16).map { _ in RecordBatch(arenaBytes: 1 << 20, maxRecords: 16_384) }

    init() throws {
        cluster = try EmbeddedKafka(brokers: 1)
        try cluster.createTopic("bench", partitions: 4)
        var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        config["log_level"] = "0"
        config["linger.ms"] = "5"
        let box = DeliveryCount()
        producer = try Producer(topic: "bench", configuration: config) { _ in box.count += 1 }
        self.reports = box
        try task.start(context: .init(connectorName: "bench", taskID: 0, config: ["record.size": "100", "key.cardinality": "1000"]))
    }

    private let reports: DeliveryCount

    /// Fills and produces every batch, then waits until all are reported.
    func produceOneBatch() throws -> Int {
        reports.count = 0
        var records = 0
        for batch in batches {
            batch.reset()
            _ = try task.poll(into: batch)
            records += batch.count
            try producer.produce(batch)
            _ = producer.poll(timeoutMs: 0)
        }
        while reports.count < batches.count { _ = producer.poll(timeoutMs: 1) }
        return records
    }
}

/// Batches reported so far; written by the delivery callback on the polling
/// thread, which is the benchmark's own.
final class DeliveryCount: @unchecked Sendable {
    var count = 0
}
