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
    /// Which producer Sluice's tasks use.
    var producerPath: ProducerPath = .automatic
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
            + (producerPath == .automatic ? "" : "/\(producerPath.rawValue)")
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

extension BenchRunSetup {
    /// The plan's settings for every row, on the first value of each list, without
    /// compression: what the warm-up runs.
    init(plan: BenchPlan, producer: KafkaConfiguration, pipeline: BenchPipeline) {
        self.init(
            tasks: plan.taskCounts[0], records: plan.records, recordSize: plan.recordSizes[0],
            keyCardinality: plan.keyCardinality, codec: BenchCompression.none.rawValue, mode: plan.modes[0],
            cpus: plan.cpus ?? CPUSet.available(), idle: plan.idle, batchBytes: plan.batchBytes,
            batchCount: plan.batchCount, producer: producer, valueFormat: plan.valueFormat.rawValue,
            connectorConfig: pipeline == .converted ? plan.convertedConnectorConfig : [:])
    }

    /// One setup per row of `plan`, in the order rows are measured: record size, then
    /// tasks, compression, mode, produce call, producer path and pipeline. A codec other than `none`
    /// sets `compression.type`; `none` does so only when the producer names no codec.
    static func rows(of plan: BenchPlan, producer: KafkaConfiguration) -> [BenchRunSetup] {
        var setups: [BenchRunSetup] = []
        for recordSize in plan.recordSizes {
            for taskCount in plan.taskCounts {
                for codec in plan.compressions {
                    var config = producer
                    if config["compression.type"] == nil && config["compression.codec"] == nil || codec != .none {
                        config["compression.type"] = codec.rawValue
                    }
                    for mode in plan.modes {
                        for call in plan.produceCalls {
                            for path in plan.producerPaths {
                                for pipeline in plan.pipelines {
                                    var setup = BenchRunSetup(plan: plan, producer: config, pipeline: pipeline)
                                    setup.tasks = taskCount
                                    setup.recordSize = recordSize
                                    setup.codec = codec.rawValue
                                    setup.mode = mode
                                    setup.produceCall = call
                                    setup.producerPath = path
                                    setups.append(setup)
                                }
                            }
                        }
                    }
                }
            }
        }
        return setups
    }
}

extension BenchPlan {
    /// The converted pipeline's connector settings: ``connectorConfig``, or a
    /// schemaless `JsonConverter` and one `InsertField` when it is empty.
    var convertedConnectorConfig: [String: String] {
        guard connectorConfig.isEmpty else { return connectorConfig }
        return [
            "value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "false",
            "transforms": "stamp", "transforms.stamp.type": "org.apache.kafka.connect.transforms.InsertField$Value",
            "transforms.stamp.static.field": "source", "transforms.stamp.static.value": "sluice-bench",
        ]
    }
}
