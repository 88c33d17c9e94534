import SluiceCore
import SluiceKafka

/// The settings every benchmark has, in process (``BenchPlan``) or over worker
/// processes (``SweepPlan``), with the defaults of `sluice bench`. Both plans show
/// them as their own properties (`plan.taskCounts`), through dynamic member lookup.
public struct BenchSettings: Sendable {
    /// Tasks per run (`tasks.max` in a sweep), one run per value (`--tasks`).
    public var taskCounts = [1]
    /// Value bytes per record, at least ``DatagenRecordLayout/stampBytes``, one run per value (`--record-size`).
    public var recordSizes = [100]
    /// Producer codecs, one run per value (`--compression`).
    public var compressions: [BenchCompression] = [.none]
    /// Distinct keys per task; 0 writes null keys (`--key-cardinality`).
    public var keyCardinality = 1000
    /// The cluster to run against (`--bootstrap-servers`, otherwise an embedded one).
    public var cluster: BenchCluster
    /// librdkafka producer properties (`-X`): for Sluice and the raw loop in process,
    /// given to the workers as `producer.NAME` in a sweep.
    public var producer = KafkaConfiguration()
    /// CPUs for the task threads in process, or the workers' `worker.cpus` in a sweep;
    /// `nil` for all this process may use (`--cpus`).
    public var cpus: CPUSet?
    /// How task threads (and the loop that fills a sink sweep's topic) wait when they
    /// have nothing to do (`--idle`).
    public var idle = IdleStrategy.backoff()
    /// Arena bytes per batch (`--batch-bytes`).
    public var batchBytes = 1 << 20
    /// Batches per task; the memory bound is `batchCount × batchBytes` (`--batch-count`).
    public var batchCount = 16
    /// How long the cluster may take to answer, in milliseconds (`--connect-timeout-ms`).
    public var connectTimeoutMs = 10_000
    /// Read what was written back and count each (task, sequence) lost or duplicated (`--verify`).
    public var verify = false
    /// Also measure peers on the same data (`--peers`): the raw librdkafka loop,
    /// `kcat -P`/`-C` and Python's confluent-kafka where installed (`kcat -C` for a sink).
    public var peers = false
    /// Where to write the results as JSON, if anywhere (`--json`).
    public var jsonPath: String?
    /// Where to write the results as CSV, if anywhere (`--csv`).
    public var csvPath: String?
    /// The command line recorded in the JSON file's `command`.
    public var command = CommandLine.arguments.joined(separator: " ")

    /// The defaults, against `cluster`.
    public init(cluster: BenchCluster) {
        self.cluster = cluster
    }
}
