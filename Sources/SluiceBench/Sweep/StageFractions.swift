/// Where one sweep run's task threads and CPUs spent the measured window.
///
/// Fractions are of wall time over the measured window: `sourceBusy` and
/// `handoffWait` are per task (mean over tasks), `produceBusy` is the producer
/// call's share, `workerCPU` is the workers' CPU over the cores they may use,
/// `machineCPU` everything measured (workers and embedded broker) over the
/// machine's cores.
public struct StageFractions: Sendable, Equatable {
    /// Task threads busy in the source's poll (writing records), per task.
    public var sourceBusy: Double
    /// Task threads waiting for Kafka to acknowledge batches (none free to fill), per task.
    public var handoffWait: Double
    /// Task threads busy inside the producer's produce call (librdkafka's or the native one), per task.
    public var produceBusy: Double
    /// Records in librdkafka's queues, the mean of the window's first and last sample.
    public var outstandingRecords: Double
    /// The workers' CPU over the cores they may use.
    public var workerCPU: Double
    /// The workers' and the embedded broker's CPU over the machine's cores.
    public var machineCPU: Double
    /// Time the workers' threads were runnable but waited for a core, over the
    /// cores they may use: CPU they wanted and other processes had.
    public var workerCPUWait: Double = 0

    /// The fractions.
    public init(
        sourceBusy: Double, handoffWait: Double, produceBusy: Double, outstandingRecords: Double,
        workerCPU: Double, machineCPU: Double, workerCPUWait: Double = 0
    ) {
        self.sourceBusy = sourceBusy
        self.handoffWait = handoffWait
        self.produceBusy = produceBusy
        self.outstandingRecords = outstandingRecords
        self.workerCPU = workerCPU
        self.machineCPU = machineCPU
        self.workerCPUWait = workerCPUWait
    }

    var json: [String: Any] {
        [
            "source_busy": sourceBusy, "handoff_wait": handoffWait, "produce_busy": produceBusy,
            "producer_queue_records": outstandingRecords, "worker_cpu": workerCPU, "machine_cpu": machineCPU,
            "worker_cpu_wait": workerCPUWait,
        ]
    }
}
