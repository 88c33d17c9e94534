/// One row of a sweep: one (workers, tasks, record size, compression) combination
/// measured with real `sluice worker` processes.
public struct SweepRow: Sendable {
    /// `source` or `sink` (``SweepDirection``).
    public var direction = "source"
    /// Worker processes in the group.
    public var workers: Int
    /// The connector's `tasks.max`.
    public var tasks: Int
    /// Value bytes per record.
    public var recordSize: Int
    /// The workers' producer codec.
    public var compression: String
    /// Seconds of the measured window.
    public var seconds: Double
    /// Records written (source) or read (sink) in the window.
    public var records: Double
    /// Records per second in the window.
    public var recordsPerSecond: Double
    /// The workers' CPU seconds per million records.
    public var cpuSecondsPerMillion: Double
    /// The embedded broker's CPU seconds per million records; `nil` on a cluster of bootstrap servers.
    public var brokerCPUSecondsPerMillion: Double?
    /// Where the task threads' time and the CPUs went.
    public var stages: StageFractions
    /// The stage that limited the run.
    public var verdict: StageVerdict
    /// records/s ÷ (the 1-worker, 1-task row's records/s × tasks), when that row was measured.
    public var efficiency: Double?
    /// Records written but not read back; `nil` without ``SweepPlan/verify``.
    public var lost: Int?
    /// Records read back more than once; `nil` without ``SweepPlan/verify``.
    public var duplicates: Int?

    var json: [String: Any] {
        var object: [String: Any] = [
            "direction": direction, "workers": workers, "tasks": tasks, "record_size": recordSize,
            "compression": compression, "seconds": seconds, "records": records, "records_per_sec": recordsPerSecond,
            "mb_per_sec": recordsPerSecond * Double(recordSize) / 1e6, "cpu_sec_per_million": cpuSecondsPerMillion,
            "stages": stages.json, "bottleneck": verdict.stage, "verdict": verdict.sentence,
        ]
        if let brokerCPUSecondsPerMillion { object["broker_cpu_sec_per_million"] = brokerCPUSecondsPerMillion }
        if let efficiency { object["scaling_efficiency"] = efficiency }
        if let lost { object["lost"] = lost }
        if let duplicates { object["duplicates"] = duplicates }
        return object
    }
}

extension SweepRow {
    /// A row read back from a sweep's JSON (for redrawing a plot); nil if a field is missing.
    init?(json: [String: Any]) {
        guard let workers = json["workers"] as? Int, let tasks = json["tasks"] as? Int,
            let recordSize = json["record_size"] as? Int, let compression = json["compression"] as? String,
            let recordsPerSecond = json["records_per_sec"] as? Double
        else { return nil }
        let stages = json["stages"] as? [String: Double] ?? [:]
        let fractions = StageFractions(
            sourceBusy: stages["source_busy"] ?? 0, handoffWait: stages["handoff_wait"] ?? 0,
            produceBusy: stages["produce_busy"] ?? 0, outstandingRecords: stages["producer_queue_records"] ?? 0,
            workerCPU: stages["worker_cpu"] ?? 0, machineCPU: stages["machine_cpu"] ?? 0,
            workerCPUWait: stages["worker_cpu_wait"] ?? 0)
        let verdict: StageVerdict
        switch json["bottleneck"] as? String {
        case "cpu": verdict = .cpu(used: fractions.machineCPU, cores: 1)
        case "kafka": verdict = .kafka(wait: fractions.handoffWait, queue: fractions.outstandingRecords)
        case "produce-call": verdict = .producerCall(busy: fractions.produceBusy, total: fractions.produceBusy + fractions.sourceBusy)
        case "source": verdict = .sourceTasks(busy: fractions.sourceBusy)
        default: verdict = .roundTrip
        }
        self.init(
            workers: workers, tasks: tasks, recordSize: recordSize, compression: compression,
            seconds: json["seconds"] as? Double ?? 0, records: json["records"] as? Double ?? 0,
            recordsPerSecond: recordsPerSecond, cpuSecondsPerMillion: json["cpu_sec_per_million"] as? Double ?? 0,
            brokerCPUSecondsPerMillion: json["broker_cpu_sec_per_million"] as? Double, stages: fractions, verdict: verdict,
            efficiency: json["scaling_efficiency"] as? Double, lost: json["lost"] as? Int, duplicates: json["duplicates"] as? Int)
    }
}
