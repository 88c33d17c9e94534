import Foundation
import SluiceCore
import SluiceKafka

/// Runs sweeps over `sluice worker` processes: how throughput scales with
/// `tasks.max` and the number of workers, and which stage stops it (what `sluice
/// bench --workers` does).
///
/// ```swift
/// var plan = SweepPlan(workerExecutable: "/usr/local/bin/sluice")
/// plan.workerCounts = [1, 2]
/// plan.taskCounts = [1, 2, 4]
/// plan.duration = 10
/// plan.plotPath = "sweep.svg"
/// let results = try SweepHarness.run(plan)
/// for row in results.rows { print(row.workers, row.tasks, Int(row.recordsPerSecond), row.verdict.sentence) }
/// ```
///
/// Every worker is stopped and its temporary folder removed when a row ends, also
/// when it fails. `sluice bench` also stops them on SIGINT and SIGTERM; a program that
/// can be interrupted while a sweep runs should do the same.
public enum SweepHarness {
    /// Validates `plan`, starts (or reaches) its cluster, measures every row with
    /// fresh workers, prints the table to `output`, writes the plan's JSON, CSV and
    /// SVG files, and returns the rows.
    ///
    /// - Throws: what ``SweepPlan/validate()`` throws; `KafkaError` when the cluster
    ///   does not answer; ``BenchError/workerFailed(_:logTail:)`` when a worker does not
    ///   start, join or keep running, or a task fails; ``BenchError/runFailed(_:)`` when
    ///   a window measures nothing, verification is incomplete, or, after the report and
    ///   files are written, when records were lost.
    public static func run(_ plan: SweepPlan, output: BenchOutput = .standard) throws -> SweepResults {
        try plan.validate()
        let cluster = try RunningCluster(
            plan.cluster, producer: plan.producer, timeoutMs: plan.connectTimeoutMs, output: output)
        defer { cluster.stop() }
        let what = plan.records.map { "\($0) records per run" }
            ?? "\(Int(plan.durationSeconds)) s per run after a \(Int(plan.warmup)) s warm-up"
        let workers = plan.workerCounts.map(String.init).joined(separator: ",")
        let tasks = plan.taskCounts.map(String.init).joined(separator: ",")
        output.report("sluice bench: sweep over \(workers) workers × \(tasks) tasks, \(what), cluster \(cluster.label)\n")
        let tag = String(MonotonicClock.nanoseconds() % 1_000_000_000)
        var rows: [SweepRow] = []
        var peers: [PeerFigures] = []
        for recordSize in plan.recordSizes {
            for codec in plan.compressions.map(\.rawValue) {
                var sinkTopic: SinkTopic?
                if plan.direction == .sink {
                    let topic = try SinkTopic.fill(
                        plan: plan, cluster: cluster, tag: "\(tag)-\(recordSize)-\(codec)", recordSize: recordSize,
                        codec: codec, output: output)
                    if plan.peers, let peer = try topic.measureReader(cluster: cluster) { peers.append(peer) }
                    sinkTopic = topic
                }
                for workerCount in plan.workerCounts {
                    for taskCount in plan.taskCounts {
                        let setup = SweepRunSetup(
                            plan: plan, workers: workerCount, tasks: taskCount, recordSize: recordSize, codec: codec)
                        var row = try ClusterSweepRun(
                            setup: setup, cluster: cluster, tag: "\(tag)-\(rows.count + 1)", output: output
                        ).measure(sinkTopic: sinkTopic)
                        row.efficiency = efficiency(of: row, among: rows)
                        rows.append(row)
                        output.report(SweepReport.table([row]).split(separator: "\n").dropFirst().joined() + "   (run \(rows.count))\n")
                    }
                }
            }
        }
        if plan.peers && plan.direction == .source {
            // Timed sweeps: about as many records as the fastest run moved in 2 s (200,000 to 3,000,000).
            let records = plan.records ?? Int(min(3_000_000, max(200_000, (rows.map(\.recordsPerSecond).max() ?? 100_000) * 2)))
            peers += try PeerRun.measureAll(
                recordSizes: plan.recordSizes, codecs: plan.compressions.map(\.rawValue), records: records,
                keyCardinality: plan.keyCardinality, partitions: plan.topicPartitions, cluster: cluster,
                producer: plan.producer, tag: tag)
        }
        try report(SweepResults(rows: rows, peers: peers), plan: plan, output: output)
        let lost = rows.reduce(0) { $0 + ($1.lost ?? 0) }
        if lost > 0 { throw BenchError.runFailed("\(lost) records lost") }
        return SweepResults(rows: rows, peers: peers)
    }

    /// records/s ÷ (the 1-worker, 1-task row's × tasks) of the same record size and
    /// codec; 1 for that row itself; `nil` when it was not measured.
    static func efficiency(of row: SweepRow, among earlier: [SweepRow]) -> Double? {
        if let base = earlier.first(where: {
            $0.workers == 1 && $0.tasks == 1 && $0.recordSize == row.recordSize && $0.compression == row.compression
        }) {
            return row.recordsPerSecond / (base.recordsPerSecond * Double(row.tasks))
        }
        return row.workers == 1 && row.tasks == 1 ? 1 : nil
    }

    /// The table on `output`, then the plan's files.
    private static func report(_ results: SweepResults, plan: SweepPlan, output: BenchOutput) throws {
        output.report("\n" + SweepReport.table(results.rows, peers: results.peers))
        if let path = plan.jsonPath {
            try SweepReport.writeJSON(results.rows, peers: results.peers, command: plan.command, to: path)
            output.report("results written to \(path)\n")
        }
        if let path = plan.csvPath {
            try SweepReport.writeCSV(results.rows, peers: results.peers, to: path)
            output.report("results written to \(path)\n")
        }
        if let path = plan.plotPath {
            let title = "Sluice on \(ProcessInfo.processInfo.activeProcessorCount) cores: records/s by tasks.max and workers"
            try ReportFile.write(Data(SweepPlot.svg(results.rows, peers: results.peers, title: title).utf8), to: path)
            output.report("plot written to \(path)\n")
        }
    }
}
