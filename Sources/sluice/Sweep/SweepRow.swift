/// One row of a sweep: one (workers, tasks, record size, compression) combination
/// measured with real `sluice worker` processes.
struct SweepRow: Sendable {
    var direction = "source"
    var workers: Int
    var tasks: Int
    var recordSize: Int
    var compression: String
    var seconds: Double
    var records: Double
    var recordsPerSecond: Double
    var cpuSecondsPerMillion: Double
    var brokerCPUSecondsPerMillion: Double?
    var stages: StageFractions
    var verdict: StageVerdict
    /// records/s ÷ (the 1-worker, 1-task row's records/s × tasks), when that row was measured.
    var efficiency: Double?
    var lost: Int?
    var duplicates: Int?

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
