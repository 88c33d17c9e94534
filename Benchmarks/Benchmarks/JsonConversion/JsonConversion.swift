import Benchmark
import SluiceRuntime

/// The converted path's core cost: a JSON value parsed into Connect data and
/// written back (`JsonConverter.toValue` then `toBytes`), per record, as the
/// source path does for `value.converter=JsonConverter` with a transform between.
///
/// One iteration converts 1,000 records (`scaledIterations`, `.kilo`) of datagen's
/// JSON shape, about 100 bytes each. `throughput` is records/s (in thousands).
let benchmarks: @Sendable () -> Void = {
    // Shared 2-core machines move ±40 % between runs: a regression is half the rate.
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        warmupIterations: 2,
        scalingFactor: .kilo,
        maxDuration: .seconds(4),
        maxIterations: 200,
        thresholds: [
            .throughput: BenchmarkThresholds(relative: [.p50: 50, .p90: 50]),
            .wallClock: BenchmarkThresholds(relative: [.p50: 100, .p90: 100]),
            .mallocCountTotal: BenchmarkThresholds(relative: [.p90: 25]),
        ]
    )

    Benchmark("json-value-round-trip-100B") { benchmark in
        let converter = JsonConverter(schemasEnabled: false)
        let value = Array(#"{"task":3,"seq":123456,"payload":"lorem ipsum dolor sit amet, consectetur adipiscing elit sed do"}"#.utf8)
        var bytes = 0
        for _ in benchmark.scaledIterations {
            let data = try value.withUnsafeBytes { try converter.toValue($0) }
            bytes &+= try converter.toBytes(data)?.count ?? 0
        }
        blackHole(bytes)
    }
}
