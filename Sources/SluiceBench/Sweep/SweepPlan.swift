import Foundation
import SluiceCore
import SluiceKafka

/// What a sweep over worker processes measures: the settings of `sluice bench
/// --workers`, with its defaults.
///
/// ``SweepHarness/run(_:output:)`` measures one row per combination of
/// ``recordSizes`` × ``compressions`` × ``workerCounts`` × ``taskCounts``: that many
/// `sluice worker` processes in one group, a datagen source (or `null` sink) connector
/// with `tasks.max` created over their REST API, a measured window, and where the
/// time went (``StageVerdict``).
///
/// ```swift
/// var plan = SweepPlan(workerExecutable: "/usr/local/bin/sluice")
/// plan.workerCounts = [1, 2]
/// plan.taskCounts = [1, 2, 4]
/// plan.duration = 20
/// ```
public struct SweepPlan: Sendable {
    /// The `sluice` executable the workers run as (`sluice worker FILE`); `sluice
    /// bench` gives its own path.
    public var workerExecutable: String
    /// Worker processes per run, one run per value (`--workers`).
    public var workerCounts = [1]
    /// The connector's `tasks.max` per run, one run per value (`--tasks`).
    public var taskCounts = [1]
    /// Value bytes per record (`--record-size`).
    public var recordSizes = [100]
    /// The workers' producer codecs, one run per value (`--compression`).
    public var compressions: [BenchCompression] = [.none]
    /// Records per run for a bounded run, measured until its tasks finish (`--records`);
    /// `nil` for a timed run (a source) or 2,000,000 records to read (a sink).
    public var records: Int?
    /// Seconds to measure each timed run (`--duration`); `nil` for 10.
    public var duration: Double?
    /// Seconds after every task runs before a timed run's window starts (`--warmup`).
    public var warmup = 3.0
    /// The connector's records/s in all, split over its tasks; `nil` for as fast as it goes (`--rate`).
    public var rate: Double?
    /// Source (datagen → Kafka) or sink (a filled topic → `null` sink) (`--direction`).
    public var direction = SweepDirection.source
    /// Worker settings for every worker, e.g. `session.timeout.ms` (`--worker-property`).
    public var workerProperties: [String: String] = [:]
    /// The most worker processes a run may start, a guard against typos (`--max-workers`).
    public var maxWorkers = 4 * ProcessInfo.processInfo.activeProcessorCount
    /// Partitions of each topic (`--partitions`); `nil` for 4, or 64 for a sink (the
    /// embedded broker keeps 5 MiB per partition, and the sink topic must fit).
    public var partitions: Int?
    /// Distinct keys per task; 0 writes null keys (`--key-cardinality`).
    public var keyCardinality = 1000
    /// The cluster to run against; by default a `sluice broker` child of ``workerExecutable``.
    public var cluster: BenchCluster
    /// librdkafka producer properties, given to the workers as `producer.NAME` (`-X`).
    public var producer = KafkaConfiguration()
    /// CPUs the workers may use (`worker.cpus`); `nil` for all (`--cpus`).
    public var cpus: CPUSet?
    /// Idle strategy of the loop that fills a sink's topic (`--idle`).
    public var idle = IdleStrategy.backoff()
    /// Arena bytes per batch of the loop that fills a sink's topic (`--batch-bytes`).
    public var batchBytes = 1 << 20
    /// Batches of the loop that fills a sink's topic (`--batch-count`).
    public var batchCount = 16
    /// How long the cluster may take to answer, in milliseconds (`--connect-timeout-ms`).
    public var connectTimeoutMs = 10_000
    /// Read a bounded source run's topic back and count lost and duplicated records
    /// (`--verify`; needs ``records`` and an embedded cluster).
    public var verify = false
    /// Also measure peers on the same data (`--peers`): for a source the raw loop,
    /// `kcat -P`/`-C` and Python's confluent-kafka; for a sink `kcat -C`.
    public var peers = false
    /// Where to write the results as JSON, if anywhere (`--json`).
    public var jsonPath: String?
    /// Where to write the results as CSV, if anywhere (`--csv`).
    public var csvPath: String?
    /// Where to draw records/s against `tasks.max` as SVG, if anywhere (`--plot`).
    public var plotPath: String?
    /// The command line recorded in the JSON file's `command`.
    public var command = CommandLine.arguments.joined(separator: " ")

    /// The defaults of `sluice bench --workers 1`, with workers (and the embedded
    /// cluster's broker process) started from `workerExecutable`.
    public init(workerExecutable: String) {
        self.workerExecutable = workerExecutable
        cluster = .embeddedProcess(sluiceExecutable: workerExecutable)
    }

    /// Seconds of each timed run's window.
    var durationSeconds: Double { duration ?? 10 }

    /// Partitions of each topic, with the direction's default.
    var topicPartitions: Int { partitions ?? (direction == .sink ? 64 : 4) }
}
