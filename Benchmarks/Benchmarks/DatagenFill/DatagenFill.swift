import Benchmark
import SluiceConnectors
import SluiceCore
import SluiceRuntime

/// How fast a `DatagenTask` writes records into 1 MiB `RecordBatch`es: the source
/// side of the data path with nothing downstream.
///
/// One iteration fills 1000 batches (`scaledIterations`), cycling through 16 of
/// them as a task cycles through its pool (`SourceTaskRunner`'s default), so the
/// arenas are not all hot in cache. `throughput` is batches/s (`*`: scaled by 1 K);
/// `bytesPerSecond` counts key and value bytes written into the arenas and
/// `recordsPerSecond` the records, both timed around the fill loop.
let benchmarks: @Sendable () -> Void = {
    // These shared 2-core machines move ±40 % between runs (DESIGN.md): a
    // regression is half the rate (50 % less) or twice the time (100 % more).
    let rate = BenchmarkThresholds(relative: [.p50: 50, .p90: 50])
    let time = BenchmarkThresholds(relative: [.p50: 100, .p90: 100])
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, FillMetric.bytesPerSecond, FillMetric.recordsPerSecond],
        warmupIterations: 1,
        scalingFactor: .kilo,
        maxDuration: .seconds(4),
        maxIterations: 30,
        thresholds: [
            .throughput: rate, .wallClock: time,
            FillMetric.bytesPerSecond: rate, FillMetric.recordsPerSecond: rate,
        ]
    )

    for recordSize in [100, 1000] {
        // Names without spaces: they name the files in `Thresholds/`.
        Benchmark("fill-1MiB-batches-\(recordSize)B-values") { benchmark, fill in
            var bytes = 0
            var records = 0
            let start = MonotonicClock.nanoseconds()
            for _ in benchmark.scaledIterations {
                let batch = fill.nextBatch()
                batch.reset()
                let result = try fill.task.poll(into: batch)
                precondition(result == .batchFull, "an unbounded datagen task fills every batch")
                bytes &+= batch.bytesUsed
                records &+= batch.count
            }
            let elapsed = Double(MonotonicClock.nanoseconds() &- start)
            benchmark.measurement(FillMetric.bytesPerSecond, Int(Double(bytes) * 1e9 / elapsed))
            benchmark.measurement(FillMetric.recordsPerSecond, Int(Double(records) * 1e9 / elapsed))
        } setup: {
            try DatagenBatchCycle(recordSize: recordSize)
        }
    }
}

/// The rates the fill loop reports itself (already per second: not scaled).
enum FillMetric {
    static let bytesPerSecond = BenchmarkMetric.custom("bytesPerSecond", polarity: .prefersLarger, useScalingFactor: false)
    static let recordsPerSecond = BenchmarkMetric.custom("recordsPerSecond", polarity: .prefersLarger, useScalingFactor: false)
}

/// A started datagen task and the batches it fills in turn.
final class DatagenBatchCycle {
    /// Batches cycled through, as in a task's pool.
    static let batchCount = 16

    let task: DatagenTask
    private let batches: [RecordBatch]
    private var next = 0

    /// A task writing `recordSize`-byte values with 10-byte keys (1000 distinct).
    init(recordSize: Int) throws {
        var config = DatagenConfig()
        config.recordSize = recordSize
        config.keyCardinality = 1000
        config.iterations = 0
        task = DatagenTask(config: config)
        try task.start(context: TaskContext(connectorName: "bench-datagen", taskID: 0, config: config.asConfig))
        batches = (0..<Self.batchCount).map { _ in RecordBatch(arenaBytes: 1 << 20, maxRecords: 16_384) }
    }

    /// The next batch in turn (not yet reset).
    func nextBatch() -> RecordBatch {
        let batch = batches[next]
        next = next == Self.batchCount - 1 ? 0 : next + 1
        return batch
    }
}
