import SluiceCore

/// Runs in-process benchmarks: Sluice's datagen tasks against the raw librdkafka
/// loop, measured in the same run (what `sluice bench` does without `--workers`).
///
/// ```swift
/// import SluiceBench
///
/// var plan = BenchPlan()                  // an embedded cluster in this process
/// plan.taskCounts = [1, 2]
/// plan.compressions = [.none, .lz4]
/// plan.records = 500_000
/// plan.verify = true
/// let results = try BenchHarness.run(plan, output: .silent)
/// for row in results.rows {
///     print(row.tasks, row.compression, Int(row.recordsPerSecond), row.ratioToRaw ?? 0)
/// }
/// ```
public enum BenchHarness {
    /// Validates `plan`, starts (or reaches) its cluster, measures every row, prints
    /// the table to `output`, writes the plan's JSON and CSV files, and returns the rows.
    ///
    /// - Throws: what ``BenchPlan/validate()`` throws; `KafkaError` when the cluster
    ///   does not answer within ``BenchPlan/connectTimeoutMs`` or a topic cannot be
    ///   made; ``BenchError/runFailed(_:)`` when a task fails, when verification is
    ///   incomplete, or, after the report and files are written, when any record failed
    ///   delivery, was lost or was duplicated.
    public static func run(_ plan: BenchPlan, output: BenchOutput = .standard) throws -> BenchResults {
        try plan.validate()
        let cluster = try RunningCluster(
            plan.cluster, producer: plan.producer, timeoutMs: plan.connectTimeoutMs, output: output)
        defer { cluster.stop() }
        let recordSizes = plan.recordSizes.map(String.init).joined(separator: ",")
        output.report("sluice bench: \(plan.records) records of \(recordSizes) bytes, \(plan.partitions) partitions, cluster \(cluster.label)\n")
        var session = BenchSession(
            cluster: cluster, plan: plan, output: output, tag: String(MonotonicClock.nanoseconds() % 1_000_000_000))
        if plan.warmupRecords > 0 {
            try warmUp(&session, plan: plan, cluster: cluster)
        }
        var rows: [BenchRow] = []
        for setup in BenchRunSetup.rows(of: plan, producer: cluster.producer) {
            let row = try session.row(setup)
            rows.append(row)
            output.report(BenchReport.table([row]).split(separator: "\n").dropFirst().joined() + "   (run \(rows.count))\n")
        }
        var peers: [PeerFigures] = []
        if plan.peers {
            peers = try PeerRun.measureAll(
                recordSizes: plan.recordSizes, codecs: plan.compressions.map(\.rawValue), records: plan.records,
                keyCardinality: plan.keyCardinality, partitions: plan.partitions, cluster: cluster,
                producer: plan.producer, tag: session.tag)
            output.report("\npeers (same data, same cluster):\n")
            for peer in peers {
                output.report("  \(peer.name): \(Int(peer.recordsPerSecond)) records/s, \(BenchReport.format(peer.cpuSecondsPerMillion, 3)) cpu s/M (\(peer.recordSize) B, \(peer.compression))\n")
            }
        }
        let results = BenchResults(rows: rows, peers: peers)
        output.report("\n" + BenchReport.table(rows))
        if let path = plan.jsonPath {
            try BenchReport.writeJSON(rows, peers: peers, command: plan.command, to: path)
            output.report("results written to \(path)\n")
        }
        if let path = plan.csvPath {
            try BenchReport.writeCSV(rows, peers: peers, to: path)
            output.report("results written to \(path)\n")
        }
        if let problem = results.deliveryProblem { throw BenchError.runFailed(problem) }
        return results
    }

    /// Sluice, then the raw loop, on `warmupRecords` records of the first row's
    /// settings, unverified, so that connections and caches are warm for the first row.
    private static func warmUp(_ session: inout BenchSession, plan: BenchPlan, cluster: RunningCluster) throws {
        var setup = BenchRunSetup(plan: plan, producer: cluster.producer, pipeline: plan.pipelines[0])
        setup.records = plan.warmupRecords
        var quiet = session
        quiet.verify = false
        _ = try quiet.sluice(setup)
        if !plan.skipRaw { _ = try quiet.raw(setup) }
        session.skipTopics(quiet)
    }
}
