import SluiceCore

/// The settings of one sweep row.
struct SweepRunSetup {
    var workers: Int
    var tasks: Int
    var recordSize: Int
    var codec: String
    /// Total records (bounded run), or nil for a timed run.
    var records: Int?
    var durationSeconds: Double
    var warmupSeconds: Double
    /// Records/s for the whole connector, or nil for as fast as possible.
    var rate: Double?
    var keyCardinality: Int
    var partitions: Int
    var cpus: CPUSet?
    /// Worker properties for every worker: the plan's, and `producer.NAME` for each
    /// of its producer properties.
    var workerSettings: [String: String]
    var verify: Bool
    var direction: SweepDirection
    /// The `sluice` executable the workers run as.
    var workerExecutable: String

    /// Row (`workers`, `tasks`, `recordSize`, `codec`) of `plan`.
    init(plan: SweepPlan, workers: Int, tasks: Int, recordSize: Int, codec: String) {
        var settings: [String: String] = [:]
        for (name, value) in plan.producer.properties { settings["producer.\(name)"] = value }
        for (name, value) in plan.workerProperties { settings[name] = value }
        self.workers = workers
        self.tasks = tasks
        self.recordSize = recordSize
        self.codec = codec
        records = plan.records
        durationSeconds = plan.durationSeconds
        warmupSeconds = plan.warmup
        rate = plan.rate
        keyCardinality = plan.keyCardinality
        partitions = plan.topicPartitions
        cpus = plan.cpus
        workerSettings = settings
        verify = plan.verify
        direction = plan.direction
        workerExecutable = plan.workerExecutable
    }

    /// Cores the workers may use.
    var workerCores: Double { Double(cpus?.cpus.count ?? CPUSet.available().cpus.count) }
}
