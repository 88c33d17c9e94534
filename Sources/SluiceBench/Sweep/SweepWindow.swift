import Foundation

/// The measured window of one sweep row, between two samples of every worker.
struct SweepWindow {
    /// The sample the window starts at.
    var first: WorkerSample
    /// The last sample in which every task was present (the stage fractions end here).
    var last: WorkerSample
    /// The sample CPU time is counted up to.
    var cpuEnd: WorkerSample
    /// Records written (or read) in the window.
    var records: Double
    var seconds: Double

    /// The machine's cores, for the CPU fractions.
    static var machineCores: Double { Double(ProcessInfo.processInfo.activeProcessorCount) }

    var workerCPUSeconds: Double { cpuEnd.workerCPU - first.workerCPU }

    var brokerCPUSeconds: Double { cpuEnd.brokerCPU - first.brokerCPU }

    /// Seconds the workers' threads waited for a core in the window (never negative:
    /// threads that end take their counts with them).
    var workerCPUWaitSeconds: Double { max(cpuEnd.workerCPUWait - first.workerCPUWait, 0) }

    /// Everything measured (workers and embedded broker) over the machine's cores.
    var machineCPU: Double { (workerCPUSeconds + brokerCPUSeconds) / seconds / Self.machineCores }
}
