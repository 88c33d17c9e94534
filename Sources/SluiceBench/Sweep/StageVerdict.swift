/// The one-line answer to "what stops this run from going faster?".
public enum StageVerdict: Sendable, Equatable {
    /// The configured rate limit sets the pace.
    case sourceRateLimit(target: Double)
    /// The task threads are busy most of the time, mostly writing records.
    case sourceTasks(busy: Double)
    /// The task threads are busy most of the time, mostly inside librdkafka's
    /// produce call (partitioning, queueing, waking its broker threads).
    case producerCall(busy: Double, total: Double)
    /// The CPUs available are saturated.
    case cpu(used: Double, cores: Double)
    /// Tasks mostly wait for Kafka to acknowledge batches.
    case kafka(wait: Double, queue: Double)
    /// No local stage is saturated: latency (broker round trips) bounds it.
    case roundTrip

    /// CPU use at or above this fraction of the cores counts as saturated.
    static let saturated = 0.85

    /// Decides, in order: a met rate limit, saturated CPUs, tasks waiting on Kafka,
    /// saturated task threads (named by where their time goes: the source's poll
    /// or librdkafka's produce call), otherwise round-trip latency.
    static func decide(recordsPerSecond: Double, rateLimit: Double?, stages: StageFractions, workerCores: Double, machineCores: Double) -> StageVerdict {
        if let rateLimit, rateLimit > 0, recordsPerSecond >= 0.9 * rateLimit {
            return .sourceRateLimit(target: rateLimit)
        }
        // CPU the workers used plus CPU they waited for: a worker that shares its
        // cores with other processes is CPU-bound although it uses less than them.
        if stages.workerCPU + stages.workerCPUWait >= saturated {
            return .cpu(used: stages.workerCPU * workerCores, cores: workerCores)
        }
        if stages.machineCPU >= saturated {
            return .cpu(used: stages.machineCPU * machineCores, cores: machineCores)
        }
        if stages.handoffWait >= 0.5 {
            return .kafka(wait: stages.handoffWait, queue: stages.outstandingRecords)
        }
        let taskThread = stages.sourceBusy + stages.produceBusy
        if taskThread >= 0.8 {
            return stages.produceBusy > stages.sourceBusy
                ? .producerCall(busy: stages.produceBusy, total: taskThread) : .sourceTasks(busy: stages.sourceBusy)
        }
        return .roundTrip
    }

    /// The stage's name, for tables and JSON.
    public var stage: String {
        switch self {
        case .sourceRateLimit: return "source"
        case .sourceTasks: return "source"
        case .producerCall: return "produce-call"
        case .cpu: return "cpu"
        case .kafka: return "kafka"
        case .roundTrip: return "round-trip"
        }
    }

    /// One line a user reads.
    public var sentence: String {
        func percent(_ value: Double) -> String { "\(Int((value * 100).rounded())) %" }
        switch self {
        case let .sourceRateLimit(target):
            return "source: the rate limit (\(Int(target)) records/s) sets the pace"
        case let .sourceTasks(busy):
            return "source: tasks are busy writing records \(percent(busy)) of the time"
        case let .producerCall(busy, total):
            return "task threads: busy \(percent(total)) of the time, \(percent(busy)) inside the producer's produce call; more tasks help while cores are free"
        case let .cpu(used, cores):
            return "cpu: \(String(format: "%.2f", used)) of \(String(format: "%.0f", cores)) cores in use"
        case let .kafka(wait, queue):
            return "kafka: tasks wait for acknowledgements \(percent(wait)) of the time (\(Int(queue)) records queued)"
        case .roundTrip:
            return "round trip: no local stage is saturated; broker latency bounds throughput"
        }
    }
}
