import Benchmark
import SluiceConnectors
import SluiceCore
import SluiceKafka

/// Heap allocations of the native produce path in steady state: datagen fills a
/// 1 MiB batch, `NativeProducer` encodes its records into Kafka batches and sends
/// them to librdkafka's mock cluster in this process, and the batch comes back
/// acknowledged. The design allows none per record (only per Kafka request); the
/// target is fewer than 0.01 mallocs per record.
///
/// One iteration produces 16 batches of 1 MiB with 100-byte values and 10-byte
/// keys (about 9,500 records each, 152 K an iteration: `recordsWritten`) and waits
/// until all are acknowledged. `mallocCountTotal` counts every thread of the
/// process, the mock broker's included, so it is an upper bound for Sluice's own.
/// The threshold is absolute: the recorded p90 (`Thresholds/`, 666) plus 850,
/// so an iteration may make about 1,520 mallocs (0.01 per record) before the check fails.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.mallocCountTotal, NativeMetric.recordsWritten, NativeMetric.recordsPerSecond],
        warmupIterations: 3,
        maxDuration: .seconds(5),
        maxIterations: 100,
        thresholds: [
            .mallocCountTotal: .init(absolute: [.p50: 850, .p90: 850]),
            NativeMetric.recordsWritten: .init(relative: [.p90: 1]),
            NativeMetric.recordsPerSecond: .init(relative: [.p50: 50, .p90: 50]),
        ]
    )

    Benchmark("native-produce-16x1MiB-batches-100B-values-embedded-cluster") { benchmark, fixture in
        var records = 0
        let start = MonotonicClock.nanoseconds()
        for _ in benchmark.scaledIterations {
            records &+= try fixture.produceAll()
        }
        let elapsed = Double(MonotonicClock.nanoseconds() &- start)
        benchmark.measurement(NativeMetric.recordsWritten, records)
        benchmark.measurement(NativeMetric.recordsPerSecond, Int(Double(records) * 1e9 / elapsed))
    } setup: {
        try NativeFixture()
    }
}

enum NativeMetric {
    /// Records written in one iteration (the divisor for mallocs per record).
    static let recordsWritten = BenchmarkMetric.custom("recordsWritten", polarity: .prefersLarger, useScalingFactor: false)
    static let recordsPerSecond = BenchmarkMetric.custom("records/s", polarity: .prefersLarger, useScalingFactor: false)
}

/// A cluster, a native producer and 16 batches reused for every iteration.
final class NativeFixture: @unchecked Sendable {
    let cluster: EmbeddedKafka
    let producer: NativeProducer
    let task = DatagenTask()
    let batches = (0..<16).map { _ in RecordBatch(arenaBytes: 1 << 20, maxRecords: 16_384) }
    private let reports = Reports()

    init() throws {
        cluster = try EmbeddedKafka(brokers: 1)
        try cluster.createTopic("bench", partitions: 4)
        let config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        let reports = reports
        producer = try NativeProducer(topic: "bench", configuration: config) { _ in reports.count += 1 }
        try task.start(context: .init(connectorName: "bench", taskID: 0, config: ["record.size": "100", "key.cardinality": "1000"]))
    }

    /// Fills and produces every batch, then waits until all are acknowledged.
    func produceAll() throws -> Int {
        reports.count = 0
        var records = 0
        for batch in batches {
            batch.reset()
            _ = try task.poll(into: batch)
            records += batch.count
            try producer.produce(batch)
        }
        try producer.flush(timeoutMs: 30_000)
        precondition(reports.count == batches.count && producer.statistics.failed == 0)
        return records
    }
}

/// Batches acknowledged so far (written on the benchmark's own thread).
final class Reports: @unchecked Sendable {
    var count = 0
}
