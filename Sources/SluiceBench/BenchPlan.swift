import SluiceCore
import SluiceKafka
import SluiceRuntime

/// What an in-process benchmark measures: the settings of `sluice bench` (without
/// `--workers`), with its defaults.
///
/// ``BenchHarness/run(_:output:)`` measures one row per combination of
/// ``recordSizes`` × ``taskCounts`` × ``compressions`` × ``modes`` × ``produceCalls``
/// × ``pipelines``: Sluice's datagen tasks on pinned threads and, on the same records,
/// the raw librdkafka loop (one thread per task), each on a fresh topic.
///
/// ```swift
/// var plan = BenchPlan()
/// plan.taskCounts = [1, 2]
/// plan.compressions = [.none, .lz4]
/// plan.records = 500_000
/// ```
public struct BenchPlan: Sendable {
    /// Tasks per run, one run per value (`--tasks`).
    public var taskCounts = [1]
    /// Records per run, split over the tasks (`--records`).
    public var records = 1_000_000
    /// Value bytes per record, at least ``DatagenRecordLayout/stampBytes`` (`--record-size`).
    public var recordSizes = [100]
    /// Producer codecs, one run per value (`--compression`).
    public var compressions: [BenchCompression] = [.none]
    /// Who calls librdkafka: the task thread, a producer lane, or decided by the pipeline (`--mode`).
    public var modes: [ProduceMode] = [.automatic]
    /// librdkafka calls for plain records (`--produce-call`).
    public var produceCalls: [ProduceCall] = [.automatic]
    /// Zero-copy and/or converted records (`--pipeline`).
    public var pipelines: [BenchPipeline] = [.zeroCopy]
    /// Connector settings of the converted pipeline: converters and transforms
    /// (`--connector-config`); empty means a schemaless `JsonConverter` and one `InsertField`.
    public var connectorConfig: [String: String] = [:]
    /// What datagen writes into values (`--value-format`).
    public var valueFormat = BenchValueFormat.bytes
    /// Partitions of each benchmark topic (`--partitions`).
    public var partitions = 4
    /// Distinct keys per task; 0 writes null keys (`--key-cardinality`).
    public var keyCardinality = 1000
    /// The cluster to run against (`--bootstrap-servers`; `sluice bench` runs an
    /// ``BenchCluster/embeddedProcess(sluiceExecutable:)`` otherwise).
    public var cluster = BenchCluster.embedded
    /// librdkafka producer properties for both Sluice and the raw loop (`-X`).
    public var producer = KafkaConfiguration()
    /// CPUs for task threads; `nil` for all this process may use (`--cpus`).
    public var cpus: CPUSet?
    /// How task threads wait when they have nothing to do (`--idle`).
    public var idle = IdleStrategy.backoff()
    /// Arena bytes per batch (`--batch-bytes`).
    public var batchBytes = 1 << 20
    /// Batches per task; the memory bound is `batchCount × batchBytes` (`--batch-count`).
    public var batchCount = 16
    /// How long the cluster may take to answer, in milliseconds (`--connect-timeout-ms`).
    public var connectTimeoutMs = 10_000
    /// Records produced by Sluice and the raw loop before the first measured run; 0 for none (`--warmup-records`).
    public var warmupRecords = 300_000
    /// Measurements per row, Sluice and the raw loop alternating which goes first; a row
    /// holds the medians (`--repeat`).
    public var repeats = 1
    /// Skip the raw librdkafka baseline (`--skip-raw`).
    public var skipRaw = false
    /// Read every topic back and count each (task, sequence) lost or duplicated (`--verify`).
    public var verify = false
    /// Also measure peers on the same data: the raw loop, `kcat -P`/`-C` and Python's
    /// confluent-kafka where installed (`--peers`).
    public var peers = false
    /// Where to write the results as JSON, if anywhere (`--json`).
    public var jsonPath: String?
    /// Where to write the results as CSV, if anywhere (`--csv`).
    public var csvPath: String?
    /// The command line recorded in the JSON file's `command`.
    public var command = CommandLine.arguments.joined(separator: " ")

    /// The defaults of `sluice bench`, on an embedded cluster in this process.
    public init() {}
}
