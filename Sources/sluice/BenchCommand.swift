import ArgumentParser
import Foundation
import SluiceBench
import SluiceCore
import SluiceKafka
import SluiceRuntime

/// `sluice bench`: throughput of datagen tasks producing to Kafka, against a raw
/// librdkafka loop measured in the same run. It only reads flags: they become a
/// ``BenchPlan`` or a ``SweepPlan`` that ``BenchHarness`` or ``SweepHarness`` runs.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure source throughput on an embedded (default) or real Kafka cluster.",
        discussion: """
            One run per combination of --tasks, --compression, --mode and --produce-call. Each run first measures
            a raw librdkafka produce loop with the same records and producer settings (one loop
            thread per task), then Sluice's datagen tasks, and prints records/s, MB/s, CPU seconds
            per million records, p50/p99 delivery latency (record written -> acknowledged), peak RSS
            and the ratio to the raw loop. With --verify the topic is read back and every
            (task, sequence) must be there exactly once.
            """
    )

    @Option(help: "Tasks per run, a comma-separated list (one run per value).")
    var tasks = "1"

    @Option(help: "Records per run, split across the tasks (default 1000000; with --workers, a bounded run measured until its tasks finish).")
    var records: Int?

    @Option(help: "Value bytes per record (at least 12), a comma-separated list (one run per value).")
    var recordSize = "100"

    @Option(help: "Worker processes per run, a comma-separated list: runs real `sluice worker`s in one group and creates a datagen connector over their REST API (one run per value).")
    var workers: String?

    @Option(help: "With --workers: how long to measure each run, e.g. 20s (default 10s); --records measures until the tasks finish instead.")
    var duration: String?

    @Option(help: "With --workers: source (datagen → Kafka) or sink (records already in Kafka → null sink; --partitions defaults to 64 there, since the embedded broker keeps 5 MiB per partition).")
    var direction = "source"

    @Option(help: "With --workers: seconds after every task runs before measuring starts.")
    var warmup = 3.0

    @Option(help: "With --workers: the connector's records/s in all (split over its tasks); default: as fast as it goes.")
    var rate: Double?

    @Flag(help: "Also measure peers on the same data: the raw librdkafka loop, kcat -P and kcat -C (when installed) and Python's confluent-kafka (when importable).")
    var peers = false

    @Option(help: "Write the results as CSV to this file.")
    var csv: String?

    @Option(help: "With --workers: draw records/s against tasks.max as SVG to this file.")
    var plot: String?

    @Option(help: "Redraw --plot from a sweep's saved --json file instead of running anything.")
    var replot: String?

    @Option(name: [.customShort("W"), .customLong("worker-property")], help: "With --workers: a worker setting name=value for every worker (repeatable), e.g. session.timeout.ms=6000.")
    var workerProperties: [String] = []

    @Option(help: "The most worker processes a run may start (a guard against typos such as --workers 100).")
    var maxWorkers = 4 * ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Compression codecs, a comma-separated list of none, gzip, snappy, lz4, zstd.")
    var compression = "none"

    @Option(help: "Produce modes, a comma-separated list of direct, lane, automatic (direct for the zero-copy pipeline, lane for the converted one).")
    var mode = "automatic"

    @Option(help: "librdkafka calls for plain records, a comma-separated list of automatic (batch for unkeyed or explicitly partitioned records, record for keyed ones), batch (rd_kafka_produce_batch per run of records), record (rd_kafka_produce per record).")
    var produceCall = "automatic"

    @Option(help: "Producers for Sluice's tasks, a comma-separated list of automatic (native wherever it applies), native (Sluice's own Kafka batches), librdkafka; each is its own row.")
    var producer = "automatic"

    @Option(help: "Partitions of each benchmark topic (default 4; 64 with --direction sink).")
    var partitions: Int?

    @Option(help: "A real cluster's bootstrap servers (default: an embedded cluster in a child process).")
    var bootstrapServers: String?

    @Flag(help: "Consume every topic back and check each (task, sequence) is there exactly once.")
    var verify = false

    @Option(help: "Write the results as JSON to this file.")
    var json: String?

    @Option(name: [.customShort("X"), .customLong("property")], help: "A librdkafka producer property name=value (repeatable).")
    var properties: [String] = []

    @Option(help: "CPUs for task threads, e.g. 0-3,6 (default: all this process may use).")
    var cpus: String?

    @Option(help: "Arena bytes per batch.")
    var batchBytes = 1 << 20

    @Option(help: "Batches per task (the memory bound is batch-count x batch-bytes).")
    var batchCount = 16

    @Option(help: "Distinct keys per task (0 for null keys).")
    var keyCardinality = 1000

    @Option(help: "Idle strategy of task threads: spin, yield, park, backoff.")
    var idle = "backoff"

    @Option(help: "Datagen values: bytes (binary stamp and filler) or json (objects).")
    var valueFormat = "bytes"

    @Option(help: "Pipelines, a comma-separated list: zero-copy (records go out as written) and/or converted (through the --connector-config converters and transforms).")
    var pipeline = "zero-copy"

    @Option(name: [.customShort("C"), .customLong("connector-config")], help: "A connector setting name=value for the converted pipeline, e.g. value.converter=JsonConverter (repeatable; default: a JsonConverter and one InsertField).")
    var connectorConfig: [String] = []

    @Option(help: "How long to wait for the cluster to answer, in milliseconds.")
    var connectTimeoutMs = 10_000

    @Option(help: "Records produced (by both Sluice and the raw loop) before the first measured run, to warm up connections and caches; 0 for none.")
    var warmupRecords = 300_000

    @Option(help: "Measurements per row, Sluice and the raw loop alternating which goes first; the row shows the medians.")
    var `repeat` = 1

    @Flag(help: "Skip the raw librdkafka baseline.")
    var skipRaw = false

    func validate() throws {
        _ = try plan()
    }

    /// What the flags ask for: an in-process benchmark, or a sweep over workers.
    enum Plan {
        case bench(BenchPlan)
        case sweep(SweepPlan)
    }

    /// Every flag's value, parsed (the plans check the ranges).
    private struct ParsedFlags {
        var taskCounts: [Int]
        var codecs: [BenchCompression]
        var modes: [ProduceMode]
        var produceCalls: [ProduceCall]
        var producerPaths: [ProducerPath]
        var recordSizes: [Int]
        var workerCounts: [Int]?
        var workerProperties: [String: String]
        var duration: Double?
        var direction: SweepDirection
        var cpus: CPUSet?
        var idle: IdleStrategy
        var valueFormat: BenchValueFormat
        var pipelines: [BenchPipeline]
        var connectorConfig: [String: String]
        var producer: KafkaConfiguration
    }

    /// The plan the flags describe, checked.
    func plan() throws -> Plan {
        let flags = try parse()
        let plan: Plan
        if let workerCounts = flags.workerCounts {
            plan = .sweep(sweepPlan(flags, workerCounts: workerCounts))
        } else {
            plan = .bench(benchPlan(flags))
        }
        do {
            switch plan {
            case let .bench(bench): try bench.validate()
            case let .sweep(sweep): try sweep.validate()
            }
        } catch {
            throw ValidationError("\(error)")
        }
        return plan
    }

    private func parse() throws -> ParsedFlags {
        let taskCounts = try ListOption.integers(tasks, flag: "--tasks")
        let codecs = try ListOption.choices(compression, flag: "--compression", of: BenchCompression.self)
        let modes = try ListOption.choices(mode, flag: "--mode", of: ProduceMode.self)
        let produceCalls = try ListOption.choices(produceCall, flag: "--produce-call", of: ProduceCall.self)
        let recordSizes = try ListOption.integers(recordSize, flag: "--record-size")
        let producerPaths = try ListOption.choices(producer, flag: "--producer", of: ProducerPath.self)
        let workerCounts = try workers.map { try ListOption.integers($0, flag: "--workers") }
        let workerSettings = try Self.assignments(workerProperties, flag: "--worker-property")
        var seconds: Double?
        if let duration {
            let number = duration.hasSuffix("s") ? String(duration.dropLast()) : duration
            guard let value = Double(number), value > 0 else {
                throw ValidationError("invalid value '\(duration)' for --duration: expected seconds, e.g. 20s")
            }
            seconds = value
        }
        if workerCounts == nil && (duration != nil || rate != nil || (plot != nil && replot == nil)) {
            throw ValidationError("--duration, --rate and --plot drive worker processes: add --workers (e.g. --workers 1)")
        }
        guard let direction = SweepDirection(rawValue: direction) else {
            throw ValidationError("invalid value '\(direction)' for --direction: expected source or sink")
        }
        if direction == .sink && workerCounts == nil { throw ValidationError("--direction sink drives worker processes: add --workers") }
        var cpuSet: CPUSet?
        if let cpus {
            do { cpuSet = try CPUSet(parsing: cpus) } catch {
                throw ValidationError(BenchError.invalidSetting(option: "--cpus", reason: "\(error)").description)
            }
        }
        guard let idleStrategy = IdleStrategy(name: idle) else {
            throw ValidationError("invalid value '\(idle)' for --idle: expected one of spin, yield, park, backoff")
        }
        guard let format = BenchValueFormat(rawValue: valueFormat) else {
            throw ValidationError("invalid value '\(valueFormat)' for --value-format: expected bytes or json")
        }
        let pipelines = try ListOption.choices(pipeline, flag: "--pipeline", of: BenchPipeline.self)
        let converted = try Self.assignments(connectorConfig, flag: "--connector-config")
        var producer = KafkaConfiguration()
        for assignment in properties {
            do { try producer.set(assignment: assignment) } catch { throw ValidationError("\(error)") }
        }
        return ParsedFlags(
            taskCounts: taskCounts, codecs: codecs, modes: modes, produceCalls: produceCalls, producerPaths: producerPaths,
            recordSizes: recordSizes,
            workerCounts: workerCounts, workerProperties: workerSettings, duration: seconds, direction: direction,
            cpus: cpuSet, idle: idleStrategy, valueFormat: format, pipelines: pipelines, connectorConfig: converted,
            producer: producer)
    }

    /// The flags both kinds of plan share.
    private func settings(_ flags: ParsedFlags) -> BenchSettings {
        var settings = BenchSettings(
            cluster: bootstrapServers.map(BenchCluster.bootstrapServers)
                ?? .embeddedProcess(sluiceExecutable: ProcessStats.executablePath()))
        settings.taskCounts = flags.taskCounts
        settings.recordSizes = flags.recordSizes
        settings.compressions = flags.codecs
        settings.keyCardinality = keyCardinality
        settings.producer = flags.producer
        settings.cpus = flags.cpus
        settings.idle = flags.idle
        settings.batchBytes = batchBytes
        settings.batchCount = batchCount
        settings.connectTimeoutMs = connectTimeoutMs
        settings.verify = verify
        settings.peers = peers
        settings.jsonPath = json
        settings.csvPath = csv
        settings.command = (["sluice"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        return settings
    }

    /// The flags of an in-process benchmark.
    private func benchPlan(_ flags: ParsedFlags) -> BenchPlan {
        var plan = BenchPlan()
        plan.settings = settings(flags)
        plan.records = records ?? plan.records
        plan.modes = flags.modes
        plan.produceCalls = flags.produceCalls
        plan.producerPaths = flags.producerPaths
        plan.pipelines = flags.pipelines
        plan.connectorConfig = flags.connectorConfig
        plan.valueFormat = flags.valueFormat
        plan.partitions = partitions ?? plan.partitions
        plan.warmupRecords = warmupRecords
        plan.repeats = `repeat`
        plan.skipRaw = skipRaw
        return plan
    }

    /// The flags of a sweep over `workerCounts` worker processes.
    private func sweepPlan(_ flags: ParsedFlags, workerCounts: [Int]) -> SweepPlan {
        var plan = SweepPlan(workerExecutable: ProcessStats.executablePath())
        plan.settings = settings(flags)
        plan.workerCounts = workerCounts
        plan.records = records
        plan.duration = flags.duration
        plan.warmup = warmup
        plan.rate = rate
        plan.direction = flags.direction
        plan.workerProperties = flags.workerProperties
        plan.maxWorkers = maxWorkers
        plan.partitions = partitions
        plan.plotPath = plot
        return plan
    }

    /// `name=value` flags (repeatable) as settings; the error names the flag.
    private static func assignments(_ values: [String], flag: String) throws -> [String: String] {
        var settings: [String: String] = [:]
        for assignment in values {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw ValidationError("invalid value '\(assignment)' for \(flag): expected name=value")
            }
            settings[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        return settings
    }

    func run() throws {
        if let replot {
            guard let plot else { throw ValidationError("--replot needs --plot FILE.svg") }
            try SweepPlot.redraw(from: replot, to: plot)
            FileHandleOutput.standardOutput.write("plot written to \(plot)\n")
            return
        }
        switch try plan() {
        case let .bench(plan):
            _ = try BenchHarness.run(plan, output: .standard)
        case let .sweep(plan):
            ChildCleanup.install()
            _ = try SweepHarness.run(plan, output: .standard)
        }
    }
}
