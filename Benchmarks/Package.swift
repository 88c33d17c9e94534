// swift-tools-version: 6.1
import PackageDescription

// Micro-benchmarks of Sluice's data plane, kept out of the root package so that
// building or testing Sluice never pulls in package-benchmark.
//
//   cd Benchmarks
//   swift package benchmark                     # every suite, release build
//   swift package benchmark thresholds check    # exit 2 on a regression
//   ./ring-ratio.sh                             # ring vs mutex queue in one process
//
// `Benchmarks/<Suite>/` holds one package-benchmark suite per concept (the plugin
// runs the executable targets whose folder sits in `Benchmarks/`); `Sources/`
// holds the workloads a suite shares with the plain `RingVersusMutex` tool.
let package = Package(
    name: "SluiceBenchmarks",
    // `Synchronization.Mutex`, the baseline queue's lock, needs macOS 15.
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Sluice", path: ".."),
        .package(
            url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1",
            traits: ["MallocInterposer"]),
    ],
    targets: [
        // Two-thread transfers through SPSCRing (batch mode) and through the mutex
        // queues it is compared with; the suite and the ratio tool share them so
        // that both measure exactly the same loops.
        .target(
            name: "TransferWorkloads",
            dependencies: [.product(name: "SluiceCore", package: "Sluice")]
        ),
        // Runs the ring and the mutex queue back to back in one process and prints
        // items/s for each and their ratio (package-benchmark reports them apart).
        .executableTarget(
            name: "RingVersusMutex",
            dependencies: ["TransferWorkloads"]
        ),
        .executableTarget(
            name: "SPSCRingTransfer",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                "TransferWorkloads",
            ],
            path: "Benchmarks/SPSCRingTransfer",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "DatagenFill",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "SluiceCore", package: "Sluice"),
                .product(name: "SluiceRuntime", package: "Sluice"),
                .product(name: "SluiceConnectors", package: "Sluice"),
            ],
            path: "Benchmarks/DatagenFill",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "SourcePathAllocations",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "SluiceCore", package: "Sluice"),
                .product(name: "SluiceRuntime", package: "Sluice"),
                .product(name: "SluiceConnectors", package: "Sluice"),
            ],
            path: "Benchmarks/SourcePathAllocations",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
            .executableTarget(
            name: "JsonConversion",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "SluiceRuntime", package: "Sluice"),
            ],
            path: "Benchmarks/JsonConversion",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "ProducePath",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "SluiceCore", package: "Sluice"),
                .product(name: "SluiceKafka", package: "Sluice"),
                .product(name: "SluiceConnectors", package: "Sluice"),
            ],
            path: "Benchmarks/ProducePath",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "NativeProduceAllocations",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "SluiceCore", package: "Sluice"),
                .product(name: "SluiceKafka", package: "Sluice"),
                .product(name: "SluiceConnectors", package: "Sluice"),
            ],
            path: "Benchmarks/NativeProduceAllocations",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)
