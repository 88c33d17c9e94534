import Testing

@testable import SluiceBench

@Suite("The bottleneck verdict")
struct StageVerdictTests {
    private func stages(source: Double = 0.3, produce: Double = 0.3, wait: Double = 0, worker: Double = 0.5, machine: Double = 0.5) -> StageFractions {
        StageFractions(sourceBusy: source, handoffWait: wait, produceBusy: produce, outstandingRecords: 100, workerCPU: worker, machineCPU: machine)
    }

    private func decide(_ stages: StageFractions, rps: Double = 1_000_000, rate: Double? = nil) -> StageVerdict {
        StageVerdict.decide(recordsPerSecond: rps, rateLimit: rate, stages: stages, workerCores: 2, machineCores: 2)
    }

    @Test("a met rate limit names the source, even when other stages look busy")
    func rateLimit() {
        #expect(decide(stages(worker: 0.9), rps: 9_500, rate: 10_000) == .sourceRateLimit(target: 10_000))
        #expect(decide(stages(), rps: 5_000, rate: 10_000) != .sourceRateLimit(target: 10_000))
    }

    @Test("saturated CPUs, of the workers or the machine, name the CPU")
    func cpu() {
        #expect(decide(stages(worker: 0.9)).stage == "cpu")
        #expect(decide(stages(worker: 0.5, machine: 0.95)).stage == "cpu")
    }

    @Test("a worker that waits for its cores (other processes on them) is CPU-bound though it uses less")
    func cpuWait() {
        var contended = stages(source: 0.4, produce: 0.5, worker: 0.55, machine: 0.7)
        #expect(decide(contended).stage == "produce-call")
        contended.workerCPUWait = 0.35
        #expect(decide(contended) == .cpu(used: 1.1, cores: 2))
    }

    @Test("tasks waiting for acknowledgements name Kafka")
    func kafka() {
        #expect(decide(stages(source: 0.1, produce: 0.1, wait: 0.7)).stage == "kafka")
    }

    @Test("a saturated task thread is named by where its time goes")
    func taskThread() {
        #expect(decide(stages(source: 0.3, produce: 0.65)).stage == "produce-call")
        #expect(decide(stages(source: 0.7, produce: 0.2)).stage == "source")
    }

    @Test("nothing saturated: round trips")
    func roundTrip() {
        #expect(decide(stages(source: 0.2, produce: 0.2)) == .roundTrip)
    }
}
