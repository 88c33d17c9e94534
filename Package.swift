// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SluiceCore", targets: ["SluiceCore"]),
        .library(name: "SluiceKafka", targets: ["SluiceKafka"]),
        .library(name: "SluiceRuntime", targets: ["SluiceRuntime"]),
        .library(name: "SluiceConnectors", targets: ["SluiceConnectors"]),
        .library(name: "SluiceHTTP", targets: ["SluiceHTTP"]),
        .library(name: "SluiceBench", targets: ["SluiceBench"]),
        .library(name: "SluiceSQL", targets: ["SluiceSQL"]),
        .executable(name: "sluice", targets: ["sluice"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        .systemLibrary(
            name: "CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CPostgres", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CMariaDB", pkgConfig: "libmariadb", providers: [.apt(["libmariadb-dev"])]),
        .target(name: "CSluiceSystem"),
        // Only the sluice executable may link this: it interposes `bind` (see its header).
        .target(name: "CSluiceFixedPorts"),
        .target(
            name: "SluiceCore",
            dependencies: [
                "CSluiceSystem", "CLZ4", "CZstd",
                .product(name: "Atomics", package: "swift-atomics"),
            ]
        ),
        .target(
            name: "SluiceKafka",
            dependencies: [
                "SluiceCore", "CRdKafka", "CSluiceSystem", "CLZ4", "CZstd",
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .target(
            name: "SluiceRuntime",
            dependencies: ["SluiceCore", "SluiceKafka", .product(name: "Atomics", package: "swift-atomics")]
        ),
        .target(
            name: "SluiceConnectors",
            dependencies: ["SluiceCore", "SluiceKafka", "SluiceRuntime", .product(name: "Atomics", package: "swift-atomics")]
        ),
        .target(
            name: "SluiceHTTP",
            dependencies: [
                "SluiceCore", "SluiceKafka", "SluiceRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            plugins: ["BuildCommitPlugin"]
        ),
        // Writes the git commit SluiceHTTP reports at `GET /` (see the plugin's doc comment).
        .plugin(name: "BuildCommitPlugin", capability: .buildTool()),
        .target(
            name: "SluiceSQL",
            dependencies: ["SluiceCore", "SluiceRuntime", "CSQLite", "CPostgres", "CMariaDB"]
        ),
        .target(
            name: "SluiceBench",
            dependencies: [
                "SluiceCore", "SluiceKafka", "SluiceRuntime", "SluiceConnectors", "SluiceHTTP",
                .product(name: "Atomics", package: "swift-atomics"),
            ]
        ),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "CSluiceFixedPorts", "SluiceCore", "SluiceKafka", "SluiceRuntime", "SluiceConnectors", "SluiceSQL", "SluiceHTTP", "SluiceBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "TickerSource",
            dependencies: ["SluiceCore", "SluiceKafka", "SluiceRuntime"],
            path: "Examples/TickerSource"
        ),
        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore"]),
        .testTarget(name: "SluiceKafkaTests", dependencies: ["SluiceKafka", "SluiceCore"]),
        .testTarget(name: "SluiceRuntimeTests", dependencies: ["SluiceRuntime", "SluiceKafka", "SluiceCore"]),
        .testTarget(name: "SluiceConnectorsTests", dependencies: ["SluiceConnectors", "SluiceRuntime", "SluiceCore"]),
        .testTarget(name: "SluiceSQLTests", dependencies: ["SluiceSQL", "SluiceRuntime", "SluiceCore", "SluiceKafka", "SluiceConnectors"]),
        .testTarget(
            name: "SluiceHTTPTests",
            dependencies: [
                "SluiceHTTP", "SluiceRuntime", "SluiceConnectors", "SluiceKafka",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(
            name: "SluiceBenchTests",
            dependencies: ["SluiceBench", "SluiceKafka", "SluiceCore", "SluiceRuntime"]
        ),
        .testTarget(
            name: "SluiceCLITests",
            dependencies: ["sluice", "TickerSource", "SluiceBench", "SluiceKafka", "SluiceCore", "SluiceRuntime", "SluiceConnectors", "SluiceHTTP", "SluiceSQL"]
        ),
    ]
)
