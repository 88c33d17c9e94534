import Foundation
import SluiceCore
import SluiceKafka
import Testing

@testable import SluiceBench

/// The default benchmark plan, changed.
private func bench(_ change: (inout BenchPlan) -> Void) -> BenchPlan {
    var plan = BenchPlan()
    change(&plan)
    return plan
}

/// The default sweep plan, changed.
private func sweep(_ change: (inout SweepPlan) -> Void) -> SweepPlan {
    var plan = SweepPlan(workerExecutable: "/usr/bin/true")
    change(&plan)
    return plan
}

/// Settings made in code are checked as `sluice bench` checks flags, with the same messages.
@Suite("Plan validation")
struct PlanValidationTests {
    @Test("the defaults are valid")
    func defaults() throws {
        try BenchPlan().validate()
        try SweepPlan(workerExecutable: "/usr/bin/true").validate()
    }

    @Test("a bad benchmark setting names its flag", arguments: [
        (bench { $0.taskCounts = [1, 0] }, BenchError.invalidListElement("0", option: "--tasks", reason: "expected a positive integer")),
        (bench { $0.taskCounts = [] }, BenchError.invalidValue("", option: "--tasks", reason: "expected at least one value")),
        (bench { $0.compressions = [] }, BenchError.invalidValue("", option: "--compression", reason: "expected at least one value")),
        (bench { $0.repeats = 0 }, BenchError.invalidValue("0", option: "--repeat", reason: "expected a positive integer")),
        (bench { $0.records = -5 }, BenchError.invalidValue("-5", option: "--records", reason: "expected a positive integer")),
        (bench { $0.partitions = 0 }, BenchError.invalidValue("0", option: "--partitions", reason: "expected a positive integer")),
        (bench { $0.recordSizes = [100, -1] }, BenchError.invalidListElement("-1", option: "--record-size", reason: "expected a positive integer")),
        (bench { $0.recordSizes = [8] }, BenchError.invalidValue("8", option: "--record-size", reason: "at least 12 bytes carry the (task, sequence) stamp")),
        (bench { $0.batchCount = 1 }, BenchError.invalidValue("1", option: "--batch-count", reason: "expected at least 2")),
        (bench { $0.keyCardinality = -1 }, BenchError.invalidValue("-1", option: "--key-cardinality", reason: "expected 0 or more")),
        (bench { $0.verify = true; $0.valueFormat = .json }, BenchError.conflictingSettings(
            "--verify reads the binary datagen stamp: use it with --value-format bytes and --pipeline zero-copy")),
        (bench { $0.verify = true; $0.pipelines = [.zeroCopy, .converted] }, BenchError.conflictingSettings(
            "--verify reads the binary datagen stamp: use it with --value-format bytes and --pipeline zero-copy")),
    ])
    func badBenchSetting(plan: BenchPlan, expected: BenchError) {
        #expect(throws: expected) { try plan.validate() }
    }

    @Test("the message reads as the command line's does")
    func messages() {
        #expect(BenchError.invalidListElement("0", option: "--tasks", reason: "expected a positive integer").description
            == "invalid value '0' in --tasks: expected a positive integer")
        #expect(BenchError.invalidValue("8", option: "--record-size", reason: "r").description == "invalid value '8' for --record-size: r")
        #expect(BenchError.tooManyWorkers(requested: 500, limit: 8, cores: 2).description
            == "--workers 500: more worker processes than this machine should start (2 cores; at most 8, see --max-workers); nothing was started")
    }

    @Test("a record larger than a batch arena, a CPU that does not exist and a property librdkafka refuses fail before anything runs")
    func lowerLayers() {
        var tooLarge = BenchPlan()
        tooLarge.recordSizes = [2_000_000]
        #expect {
            try tooLarge.validate()
        } throws: { error in
            "\(error)".contains("does not fit in a batch arena of 1048576 bytes") && "\(error)".contains("--batch-bytes")
        }

        var cpus = BenchPlan()
        cpus.cpus = CPUSet([4000])
        #expect {
            try cpus.validate()
        } throws: { error in
            guard case let .invalidSetting(option, reason) = error as? BenchError else { return false }
            return option == "--cpus" && reason.contains("CPU 4000 is not available")
        }

        var property = SweepPlan(workerExecutable: "/usr/bin/true")
        property.producer["no.such.property"] = "1"
        #expect(throws: KafkaError.self) { try property.validate() }
    }

    @Test("a report file that cannot be written fails before anything runs")
    func unwritable() {
        var plan = BenchPlan()
        plan.csvPath = "/nonexistent-dir/out.csv"
        #expect(throws: BenchError.cannotWrite(
            path: "/nonexistent-dir/out.csv", reason: "--csv: the folder '/nonexistent-dir' does not exist or is not writable")
        ) { try plan.validate() }
    }

    @Test("a bad sweep setting names its flag", arguments: [
        (sweep { $0.workerCounts = [500] }, BenchError.tooManyWorkers(
            requested: 500, limit: 4 * ProcessInfo.processInfo.activeProcessorCount, cores: ProcessInfo.processInfo.activeProcessorCount)),
        (sweep { $0.workerCounts = [0] }, BenchError.invalidListElement("0", option: "--workers", reason: "expected a positive integer")),
        (sweep { $0.records = 10; $0.duration = 5 }, BenchError.conflictingSettings(
            "--records and --duration exclude each other: a run is either bounded or timed")),
        (sweep { $0.duration = 0 }, BenchError.invalidValue("0.0", option: "--duration", reason: "expected seconds, e.g. 20s")),
        (sweep { $0.warmup = -1 }, BenchError.invalidValue("-1.0", option: "--warmup", reason: "expected 0 or more seconds")),
        (sweep { $0.rate = 0 }, BenchError.invalidValue("0.0", option: "--rate", reason: "expected a positive number of records/s")),
        (sweep { $0.partitions = 0 }, BenchError.invalidValue("0", option: "--partitions", reason: "expected a positive integer")),
        (sweep { $0.direction = .sink; $0.rate = 100 }, BenchError.conflictingSettings(
            "--direction sink reads a filled topic to its end: --rate, --duration and --verify do not apply")),
        (sweep { $0.verify = true }, BenchError.conflictingSettings("--verify with --workers needs a bounded run: give --records")),
        (sweep { $0.verify = true; $0.records = 1000; $0.cluster = .bootstrapServers("kafka:9092") }, BenchError.conflictingSettings(
            "--verify with --workers reads the topic inside the embedded cluster: leave out --bootstrap-servers")),
    ])
    func badSweepSetting(plan: SweepPlan, expected: BenchError) {
        #expect(throws: expected) { try plan.validate() }
    }

    @Test("a sweep's workers and its embedded broker start from the worker executable; a sink reads 64 partitions")
    func sweepDefaults() {
        var plan = SweepPlan(workerExecutable: "/opt/sluice/bin/sluice")
        #expect(plan.cluster == .embeddedProcess(sluiceExecutable: "/opt/sluice/bin/sluice"))
        #expect(plan.topicPartitions == 4)
        plan.direction = .sink
        #expect(plan.topicPartitions == 64)
        plan.partitions = 4
        #expect(plan.topicPartitions == 4)
    }
}
