import Benchmark
import SluiceConnectors
import SluiceCore
import SluiceRuntime

/// Heap allocations on the source path in steady state: acquire a batch from a
/// `BatchPool`, fill it with a `DatagenTask`, release it. The design allows none
/// per record; the target is fewer than 0.01 mallocs per record.
///
/// One iteration runs that cycle 1000 times (`scaledIterations`) on a pool of 16
/// 1 MiB batches with 100-byte values and 10-byte keys: 9532 records a batch,
/// 9.532 M an iteration (`recordsWritten`, unscaled). `mallocCountTotal` is
/// counted by package-benchmark's malloc interposer over the whole iteration; the
/// table shows it per cycle (`*`, scaled by 1 K) and the p90 JSON in `Thresholds/`
/// per iteration, so mallocs per record is either figure divided by the records
/// of a batch or of an iteration respectively. A control benchmark adds one
/// allocation per cycle, to show that the counter sees this path at all.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.mallocCountTotal, .throughput, SourcePathMetric.recordsWritten],
        warmupIterations: 1,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 20,
        thresholds: [
            // A regression is any allocation that recurs per batch: 1000 per iteration
            // (0.0001 per record, a hundredth of the budget) fails the check.
            .mallocCountTotal: .init(absolute: [.p50: 999, .p90: 999]),
            .throughput: .init(relative: [.p50: 50, .p90: 50]),
            // Deterministic: the same records every iteration.
            SourcePathMetric.recordsWritten: .init(relative: [.p90: 1]),
        ]
    )

    for control in [false, true] {
        // Names without spaces: they name the files in `Thresholds/`.
        let name = control ? "control-plus-one-malloc-per-batch" : "acquire-fill-release-1MiB-batches-100B-values"
        Benchmark(name) { benchmark, source in
            var records = 0
            for _ in benchmark.scaledIterations {
                guard let batch = source.pool.tryAcquire() else {
                    benchmark.error("the pool ran dry although every batch is released at once")
                    return
                }
                let result = try source.task.poll(into: batch)
                precondition(result == .batchFull, "an unbounded datagen task fills every batch")
                records &+= batch.count
                if control {
                    // Proves the counter sees this path's allocations: expect 1 per cycle.
                    let scratch = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
                    blackHole(scratch)
                    scratch.deallocate()
                }
                source.pool.release(batch)
            }
            benchmark.measurement(SourcePathMetric.recordsWritten, records)
        } setup: {
            try DatagenSource()
        }
    }
}

/// What the loop counts itself.
enum SourcePathMetric {
    /// Records written in one iteration (the divisor for mallocs per record).
    static let recordsWritten = BenchmarkMetric.custom("recordsWritten", polarity: .prefersLarger, useScalingFactor: false)
}

/// A started datagen task and the pool it fills batches from.
final class DatagenSource {
    let task: DatagenTask
    let pool = BatchPool(batchCount: 16, arenaBytes: 1 << 20, maxRecords: 16_384)

    init() throws {
        var config = DatagenConfig()
        config.recordSize = 100
        config.keyCardinality = 1000
        task = DatagenTask(config: config)
        try task.start(context: TaskContext(connectorName: "bench-datagen", taskID: 0, config: config.asConfig))
    }
}
