import ArgumentParser
import Foundation
import SluiceConnectors
import SluiceCore
import SluiceKafka
import SluiceRuntime

/// `sluice bench`: throughput of datagen tasks producing to Kafka, against a raw
/// librdkafka loop measured in the same run.
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

    /// Records per in-process run when --records is not given.
    var recordCount: Int { records ?? 1_000_000 }

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

    @Option(help: "Partitions of each benchmark topic.")
    var partitions = 4

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

    static let codecs = ["none", "gzip", "snappy", "lz4", "zstd"]

    func validate() throws {
        _ = try plan()
    }

    /// Everything the flags say, checked.
    struct Plan {
        var taskCounts: [Int]
        var codecs: [String]
        var modes: [ProduceMode]
        var produceCalls: [ProduceCall]
        var cpus: CPUSet
        var idle: IdleStrategy
        var producer: KafkaConfiguration
        /// Connector settings per pipeline (empty: the zero-copy path).
        var pipelines: [[String: String]]
        var recordSizes: [Int]
        /// Worker counts, when the run drives `sluice worker` processes.
        var workerCounts: [Int]?
        var durationSeconds: Double
    }

    func plan() throws -> Plan {
        let taskCounts = try ListOption.positiveIntegers(tasks, flag: "--tasks")
        let codecs = try ListOption.choices(compression, flag: "--compression", allowed: Self.codecs)
        let modes = try ListOption.choices(mode, flag: "--mode", allowed: ProduceMode.allCases.map(\.rawValue))
            .compactMap(ProduceMode.init(rawValue:))
        let produceCalls = try ListOption.choices(produceCall, flag: "--produce-call", allowed: ProduceCall.allCases.map(\.rawValue))
            .compactMap(ProduceCall.init(rawValue:))
        guard `repeat` >= 1 else { throw ValidationError("invalid value '\(`repeat`)' for --repeat: expected a positive integer") }
        if let records, records <= 0 { throw ValidationError("invalid value '\(records)' for --records: expected a positive integer") }
        if records != nil && duration != nil { throw ValidationError("--records and --duration exclude each other: a run is either bounded or timed") }
        guard partitions > 0 else { throw ValidationError("invalid value '\(partitions)' for --partitions: expected a positive integer") }
        let recordSizes = try ListOption.positiveIntegers(recordSize, flag: "--record-size")
        for recordSize in recordSizes where recordSize < DatagenRecordLayout.stampBytes {
            throw ValidationError("invalid value '\(recordSize)' for --record-size: at least \(DatagenRecordLayout.stampBytes) bytes carry the (task, sequence) stamp")
        }
        let workerCounts = try workers.map { try ListOption.positiveIntegers($0, flag: "--workers") }
        if let most = workerCounts?.max(), most > maxWorkers {
            throw ValidationError("--workers \(most): more worker processes than this machine should start (\(ProcessInfo.processInfo.activeProcessorCount) cores; at most \(maxWorkers), see --max-workers); nothing was started")
        }
        for assignment in workerProperties where !assignment.contains("=") || assignment.hasPrefix("=") {
            throw ValidationError("invalid value '\(assignment)' for --worker-property: expected name=value")
        }
        var durationSeconds = 10.0
        if let duration {
            let number = duration.hasSuffix("s") ? String(duration.dropLast()) : duration
            guard let value = Double(number), value > 0 else {
                throw ValidationError("invalid value '\(duration)' for --duration: expected seconds, e.g. 20s")
            }
            durationSeconds = value
        }
        if workerCounts == nil && (duration != nil || rate != nil || (plot != nil && replot == nil)) {
            throw ValidationError("--duration, --rate and --plot drive worker processes: add --workers (e.g. --workers 1)")
        }
        guard direction == "source" || direction == "sink" else {
            throw ValidationError("invalid value '\(direction)' for --direction: expected source or sink")
        }
        if direction == "sink" && workerCounts == nil { throw ValidationError("--direction sink drives worker processes: add --workers") }
        if direction == "sink" && (rate != nil || duration != nil || verify) {
            throw ValidationError("--direction sink reads a filled topic to its end: --rate, --duration and --verify do not apply")
        }
        if let rate, rate <= 0 { throw ValidationError("invalid value '\(rate)' for --rate: expected a positive number of records/s") }
        if workerCounts != nil && verify && records == nil {
            throw ValidationError("--verify with --workers needs a bounded run: give --records")
        }
        if workerCounts != nil && verify && bootstrapServers != nil {
            throw ValidationError("--verify with --workers reads the topic inside the embedded cluster: leave out --bootstrap-servers")
        }
        for (path, flag) in [(json, "--json"), (csv, "--csv"), (plot, "--plot")] {
            if let path { do { try SweepReport.checkWritable(path, flag: flag) } catch { throw ValidationError("\(error)") } }
        }
        guard batchCount >= 2 else { throw ValidationError("invalid value '\(batchCount)' for --batch-count: expected at least 2") }
        guard keyCardinality >= 0 else { throw ValidationError("invalid value '\(keyCardinality)' for --key-cardinality: expected 0 or more") }
        let keyBytes = keyCardinality > 0 ? DatagenRecordLayout.keyLength : 0
        if let largest = recordSizes.max(), largest + keyBytes > batchBytes {
            throw ValidationError(RecordBatchError.recordTooLarge(recordBytes: largest + keyBytes, arenaBytes: batchBytes).description)
        }
        let cpuSet: CPUSet
        if let cpus {
            do {
                cpuSet = try CPUSet(parsing: cpus)
                try cpuSet.validateAvailable()
            } catch { throw ValidationError("--cpus: \(error)") }
        } else {
            cpuSet = CPUSet.available()
        }
        guard let idleStrategy = IdleStrategy(name: idle) else {
            throw ValidationError("invalid value '\(idle)' for --idle: expected one of spin, yield, park, backoff")
        }
        guard valueFormat == "bytes" || valueFormat == "json" else {
            throw ValidationError("invalid value '\(valueFormat)' for --value-format: expected bytes or json")
        }
        let pipelines = try ListOption.choices(pipeline, flag: "--pipeline", allowed: ["zero-copy", "converted"])
        if verify && (valueFormat == "json" || pipelines.contains("converted")) {
            throw ValidationError("--verify reads the binary datagen stamp: use it with --value-format bytes and --pipeline zero-copy")
        }
        var converted: [String: String] = [:]
        for assignment in connectorConfig {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw ValidationError("invalid value '\(assignment)' for --connector-config: expected name=value")
            }
            converted[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        if converted.isEmpty {
            converted = [
                "value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "false",
                "transforms": "stamp", "transforms.stamp.type": "org.apache.kafka.connect.transforms.InsertField$Value",
                "transforms.stamp.static.field": "source", "transforms.stamp.static.value": "sluice-bench",
            ]
        }
        var producer = KafkaConfiguration()
        for assignment in properties {
            do { try producer.set(assignment: assignment) } catch { throw ValidationError("\(error)") }
        }
        do { try producer.validate() } catch { throw ValidationError("\(error)") }
        return Plan(
            taskCounts: taskCounts, codecs: codecs, modes: modes, produceCalls: produceCalls, cpus: cpuSet, idle: idleStrategy, producer: producer,
            pipelines: pipelines.map { $0 == "converted" ? converted : [:] }, recordSizes: recordSizes,
            workerCounts: workerCounts, durationSeconds: durationSeconds)
    }

    func run() throws {
        if let replot {
            guard let plot else { throw ValidationError("--replot needs --plot FILE.svg") }
            try SweepPlot.redraw(from: replot, to: plot)
            FileHandleOutput.standardOutput.write("plot written to \(plot)\n")
            return
        }
        let plan = try plan()
        if plan.workerCounts != nil {
            try runSweep(plan)
            return
        }
        let (broker, servers, base) = try BenchCluster.start(
            bootstrapServers: bootstrapServers, producer: plan.producer, timeoutMs: connectTimeoutMs)
        defer { broker?.stop() }
        let out = FileHandleOutput.standardOutput
        out.write("sluice bench: \(recordCount) records of \(recordSize) bytes, \(partitions) partitions, cluster \(broker == nil ? servers : "embedded (\(servers))")\n")
        var peerFigures: [PeerFigures] = []

        var rows: [BenchRow] = []
        var session = BenchSession(
            broker: broker, bootstrapServers: servers, partitions: partitions, verify: verify, skipRaw: skipRaw,
            repeats: `repeat`, tag: String(MonotonicClock.nanoseconds() % 1_000_000_000))
        if warmupRecords > 0 {
            let warmup = BenchRunSetup(
                tasks: plan.taskCounts[0], records: warmupRecords, recordSize: plan.recordSizes[0],
                keyCardinality: keyCardinality, codec: "none", mode: plan.modes[0], cpus: plan.cpus,
                idle: plan.idle, batchBytes: batchBytes, batchCount: batchCount, producer: base,
                valueFormat: valueFormat, connectorConfig: plan.pipelines[0])
            var quiet = session
            quiet.verify = false
            _ = try quiet.sluice(warmup)
            if !skipRaw { _ = try quiet.raw(warmup) }
            session.skipTopics(quiet)
        }
        for recordSize in plan.recordSizes {
        for taskCount in plan.taskCounts {
            for codec in plan.codecs {
                for mode in plan.modes {
                  for call in plan.produceCalls {
                  for pipeline in plan.pipelines {
                    var config = base
                    if config["compression.type"] == nil && config["compression.codec"] == nil || codec != "none" {
                        config["compression.type"] = codec
                    }
                    var setup = BenchRunSetup(
                        tasks: taskCount, records: recordCount, recordSize: recordSize, keyCardinality: keyCardinality,
                        codec: codec, mode: mode, cpus: plan.cpus, idle: plan.idle, batchBytes: batchBytes,
                        batchCount: batchCount, producer: config, valueFormat: valueFormat, connectorConfig: pipeline)
                    setup.produceCall = call
                    let row = try session.row(setup)
                    rows.append(row)
                    out.write(BenchReport.table([row]).split(separator: "\n").dropFirst().joined() + "   (run \(rows.count))\n")
                  }
                  }
                }
            }
        }
        }
        if peers {
            peerFigures += try PeerRun.measureAll(
                recordSizes: plan.recordSizes, codecs: plan.codecs, records: recordCount, keyCardinality: keyCardinality,
                partitions: partitions, broker: broker, bootstrap: servers, producer: plan.producer, tag: session.tag)
            out.write("\npeers (same data, same cluster):\n")
            for peer in peerFigures {
                out.write("  \(peer.name): \(Int(peer.recordsPerSecond)) records/s, \(String(format: "%.3f", peer.cpuSecondsPerMillion)) cpu s/M (\(peer.recordSize) B, \(peer.compression))\n")
            }
        }
        out.write("\n" + BenchReport.table(rows))
        if let json {
            try BenchReport.writeJSON(rows, peers: peerFigures, command: (["sluice"] + CommandLine.arguments.dropFirst()).joined(separator: " "), to: json)
            out.write("results written to \(json)\n")
        }
        if let csv {
            try BenchReport.writeCSV(rows, peers: peerFigures, to: csv)
            out.write("results written to \(csv)\n")
        }
        let failed = rows.reduce(0) { $0 + $1.failed }
        let lost = rows.reduce(0) { $0 + ($1.lost ?? 0) }
        let duplicates = rows.reduce(0) { $0 + ($1.duplicates ?? 0) }
        if failed > 0 || lost > 0 || duplicates > 0 {
            throw BenchError.runFailed("\(failed) records failed delivery, \(lost) lost, \(duplicates) duplicated")
        }
    }
}
