import Foundation

/// What a sweep over worker processes measures: the settings of `sluice bench
/// --workers`, with its defaults.
///
/// ``SweepHarness/run(_:output:)`` measures one row per combination of
/// ``BenchSettings/recordSizes`` × ``BenchSettings/compressions`` × ``workerCounts`` ×
/// ``BenchSettings/taskCounts``: that many
/// `sluice worker` processes in one group, a datagen source (or `null` sink) connector
/// with `tasks.max` created over their REST API, a measured window, and where the
/// time went (``StageVerdict``). The settings in-process runs share
/// (``BenchSettings``) read and write as the plan's own: `plan.taskCounts`.
///
/// ```swift
/// var plan = SweepPlan(workerExecutable: "/usr/local/bin/sluice")
/// plan.workerCounts = [1, 2]
/// plan.taskCounts = [1, 2, 4]
/// plan.duration = 20
/// ```
@dynamicMemberLookup
public struct SweepPlan: Sendable {
    /// The settings an in-process run has too; ``BenchSettings/verify`` needs
    /// ``records`` and an embedded cluster here.
    public var settings: BenchSettings
    /// The `sluice` executable the workers run as (`sluice worker FILE`); `sluice
    /// bench` gives its own path.
    public var workerExecutable: String
    /// Worker processes per run, one run per value (`--workers`).
    public var workerCounts = [1]
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
    /// Where to draw records/s against `tasks.max` as SVG, if anywhere (`--plot`).
    public var plotPath: String?

    /// The defaults of `sluice bench --workers 1`, with workers (and the embedded
    /// cluster's broker process) started from `workerExecutable`.
    public init(workerExecutable: String) {
        self.workerExecutable = workerExecutable
        settings = BenchSettings(cluster: .embeddedProcess(sluiceExecutable: workerExecutable))
    }

    /// A setting of ``settings``, as if it were the plan's own.
    public subscript<Value>(dynamicMember setting: WritableKeyPath<BenchSettings, Value>) -> Value {
        get { settings[keyPath: setting] }
        set { settings[keyPath: setting] = newValue }
    }

    /// Seconds of each timed run's window.
    var durationSeconds: Double { duration ?? 10 }

    /// Partitions of each topic, with the direction's default.
    var topicPartitions: Int { partitions ?? (direction == .sink ? 64 : 4) }
}
