import Benchmark
import TransferWorkloads

/// Moving `Int`s from one thread to another: `SPSCRing` in batch mode against
/// lock-protected queues, in one suite so one run measures them all.
///
/// Every benchmark moves `scaledIterations.count` (1 M) items per iteration through
/// ``TwoThreadTransfer`` (producer and consumer pinned to the first two CPUs,
/// busy-spin waits, queue capacity 4096), so `throughput` reads directly as
/// items/s (`*` in the table: scaled by 1 M). The ring's producer publishes
/// chunks of 256 with `push(contentsOf:)` and its consumer takes up to 256 per
/// `popBatch(max:)`. The baseline locks once per item on each side. Context, not targets: the ring one
/// item per `tryPush`/`tryPop`, and the locks taken once per 256-item chunk.
/// `itemsPerSecond` is the same rate timed inside the threads, without thread
/// start-up. The ratio ring / baseline is measured in one process by
/// `RingVersusMutex` (`ring-ratio.sh`).
let benchmarks: @Sendable () -> Void = {
    // On these shared 2-core VMs some whole runs of the two-thread benchmarks (and
    // only those) came out 3-5x slower at p90 with no other process running and no
    // steal time; a two-thread transfer is only as fast as the cache-to-cache path
    // between the two vCPUs, and where the host places them cannot be seen from
    // inside (the likely cause). So the checked-in thresholds catch only gross
    // regressions (a fifth of the rate: 80 % less rate, 400 % more time); the
    // targets themselves (ring >= 50 M items/s and >= 3x the mutex queue) are
    // checked by `ring-ratio.sh --check`, which measures both in one process.
    // The batched-lock variants are context: recorded, never failed (an empty
    // tolerance checks nothing, where a missing one would check for equality).
    let rate = BenchmarkThresholds(relative: [.p50: 80, .p90: 80])
    let time = BenchmarkThresholds(relative: [.p50: 400, .p90: 400])
    let unchecked = BenchmarkThresholds()
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, TransferMetric.itemsPerSecond],
        warmupIterations: 2,
        scalingFactor: .mega,
        maxDuration: .seconds(3),
        maxIterations: 50,
        thresholds: [.throughput: rate, TransferMetric.itemsPerSecond: rate, .wallClock: time]
    )

    let routes: [TransferRoute] = [
        .spscRingBatched(chunk: 256),
        .spscRingPerItem,
        .lockedPerItem(.mutex),
        .lockedPerItem(.pthreadMutex),
        .lockedBatched(.mutex, chunk: 256),
        .lockedBatched(.pthreadMutex, chunk: 256),
    ]
    for route in routes {
        var configuration = Benchmark.defaultConfiguration
        if case .lockedBatched = route {
            configuration.thresholds = [.throughput: unchecked, TransferMetric.itemsPerSecond: unchecked, .wallClock: unchecked]
        }
        Benchmark(route.description, configuration: configuration) { benchmark in
            let result = try TwoThreadTransfer(route: route, items: benchmark.scaledIterations.count).run()
            benchmark.measurement(TransferMetric.itemsPerSecond, Int(result.itemsPerSecond))
        }
    }
}

/// The transfer's own rate, timed inside the two threads from the start gate to
/// the last item (``TransferResult/nanoseconds``), so without thread start-up and
/// join; already per second, so not scaled.
enum TransferMetric {
    static let itemsPerSecond = BenchmarkMetric.custom("itemsPerSecond", polarity: .prefersLarger, useScalingFactor: false)
}
