import SluiceKafka
import SluiceRuntime

/// What an in-process benchmark measures: the settings of `sluice bench` (without
/// `--workers`), with its defaults. The settings sweeps share (``BenchSettings``) read
/// and write as the plan's own: `plan.taskCounts`.
///
/// ``BenchHarness/run(_:output:)`` measures one row per combination of
/// ``BenchSettings/recordSizes`` × ``BenchSettings/taskCounts`` ×
/// ``BenchSettings/compressions`` × ``modes`` × ``produceCalls`` × ``pipelines``: Sluice's datagen tasks on pinned threads and, on the same records,
/// the raw librdkafka loop (one thread per task), each on a fresh topic.
///
/// ```swift
/// var plan = BenchPlan()
/// plan.taskCounts = [1, 2]
/// plan.compressions = [.none, .lz4]
/// plan.records = 500_000
/// ```
@dynamicMemberLookup
public struct BenchPlan: Sendable {
    /// The settings a sweep has too; on an embedded cluster in this process by default.
    public var settings = BenchSettings(cluster: .embedded)
    /// Records per run, split over the tasks (`--records`).
    public var records = 1_000_000
    /// Who calls librdkafka: the task thread, a producer lane, or decided by the pipeline (`--mode`).
    public var modes: [ProduceMode] = [.automatic]
    /// librdkafka calls for plain records (`--produce-call`).
    public var produceCalls: [ProduceCall] = [.automatic]
    /// Which producers Sluice's tasks use, each measured as its own row (`--producer`).
    public var producerPaths: [ProducerPath] = [.automatic]
    /// Zero-copy and/or converted records (`--pipeline`).
    public var pipelines: [BenchPipeline] = [.zeroCopy]
    /// Connector settings of the converted pipeline: converters and transforms
    /// (`--connector-config`); empty means a schemaless `JsonConverter` and one `InsertField`.
    public var connectorConfig: [String: String] = [:]
    /// What datagen writes into values (`--value-format`).
    public var valueFormat = BenchValueFormat.bytes
    /// Partitions of each benchmark topic (`--partitions`).
    public var partitions = 4
    /// Records produced by Sluice and the raw loop before the first measured run; 0 for none (`--warmup-records`).
    public var warmupRecords = 300_000
    /// Measurements per row, Sluice and the raw loop alternating which goes first; a row
    /// holds the medians (`--repeat`).
    public var repeats = 1
    /// Skip the raw librdkafka baseline (`--skip-raw`).
    public var skipRaw = false

    /// The defaults of `sluice bench`, on an embedded cluster in this process.
    public init() {}

    /// A setting of ``settings``, as if it were the plan's own.
    public subscript<Value>(dynamicMember setting: WritableKeyPath<BenchSettings, Value>) -> Value {
        get { settings[keyPath: setting] }
        set { settings[keyPath: setting] = newValue }
    }
}
