import SluiceCore
import SluiceKafka
import SluiceRuntime

/// The settings shared by the Sluice run and the raw baseline of one row.
struct BenchRunSetup {
    var tasks: Int
    var records: Int
    var recordSize: Int
    var keyCardinality: Int
    var codec: String
    var mode: ProduceMode
    var produceCall: ProduceCall = .automatic
    var cpus: CPUSet
    var idle: IdleStrategy
    var batchBytes: Int
    var batchCount: Int
    var producer: KafkaConfiguration
    /// `bytes` or `json` datagen values.
    var valueFormat = "bytes"
    /// Connector settings (converters, transforms); empty for the zero-copy path.
    var connectorConfig: [String: String] = [:]

    /// The mode column: the hand-off, and `+conv` off the zero-copy path.
    var label: String {
        mode.resolved(converting: !connectorConfig.isEmpty).rawValue + (connectorConfig.isEmpty ? "" : "+conv")
            + (valueFormat == "json" ? "/json" : "") + (produceCall == .automatic ? "" : "/\(produceCall.rawValue)")
    }

    /// Records each task writes: the total split as evenly as possible.
    var recordsPerTask: [Int] {
        (0..<tasks).map { records / tasks + ($0 < records % tasks ? 1 : 0) }
    }

    /// Bytes per record on the wire, for MB/s: value plus key.
    var bytesPerRecord: Int {
        recordSize + (keyCardinality > 0 ? 10 : 0)
    }
}
