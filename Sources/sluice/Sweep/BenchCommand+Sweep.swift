import Foundation
import SluiceCore
import SluiceKafka

/// `sluice bench --workers ...`: the sweep over real worker processes.
extension BenchCommand {
    func runSweep(_ plan: Plan) throws {
        ChildCleanup.install()
        let out = FileHandleOutput.standardOutput
        let (broker, servers, base) = try BenchCluster.start(
            bootstrapServers: bootstrapServers, producer: plan.producer, timeoutMs: connectTimeoutMs)
        defer { broker?.stop() }
        let bounded = records != nil
        let what = bounded ? "\(recordCount) records per run" : "\(Int(plan.durationSeconds)) s per run after a \(Int(warmup)) s warm-up"
        out.write("sluice bench: sweep over \(plan.workerCounts!.map(String.init).joined(separator: ",")) workers × \(plan.taskCounts.map(String.init).joined(separator: ",")) tasks, \(what), cluster \(broker == nil ? servers : "embedded (\(servers))")\n")
        var workerSettings: [String: String] = [:]
        for (name, value) in plan.producer.properties { workerSettings["producer.\(name)"] = value }
        for assignment in workerProperties {
            let equals = assignment.firstIndex(of: "=")!
            workerSettings[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        let tag = String(MonotonicClock.nanoseconds() % 1_000_000_000)
        var rows: [SweepRow] = []
        var index = 0
        var sinkPeers: [PeerFigures] = []
        let partitions = direction == "sink" && self.partitions == 4 ? 64 : self.partitions
        for recordSize in plan.recordSizes {
            for codec in plan.codecs {
                var sinkTopic: (name: String, records: Int)?
                if direction == "sink" {
                    sinkTopic = try fillSinkTopic(
                        tag: "\(tag)-\(recordSize)-\(codec)", recordSize: recordSize, codec: codec, partitions: partitions,
                        broker: broker, base: base, plan: plan)
                    if peers, let topic = sinkTopic {
                        try PeerRun.withFolder { folder in
                            if let peer = try PeerRun.consume(topic: topic.name, records: topic.records, recordSize: recordSize, codec: codec, bootstrap: servers, folder: folder) {
                                sinkPeers.append(peer)
                            }
                        }
                    }
                }
                for workerCount in plan.workerCounts! {
                    for taskCount in plan.taskCounts {
                        index += 1
                        let setup = SweepRunSetup(
                            workers: workerCount, tasks: taskCount, recordSize: recordSize, codec: codec,
                            records: records, durationSeconds: plan.durationSeconds, warmupSeconds: warmup,
                            rate: rate, keyCardinality: keyCardinality, partitions: partitions,
                            cpus: cpus == nil ? nil : plan.cpus, workerSettings: workerSettings, verify: verify,
                            direction: direction)
                        var row = try ClusterSweepRun.measure(setup, broker: broker, bootstrap: servers, tag: "\(tag)-\(index)", sinkTopic: sinkTopic)
                        if let base = rows.first(where: { $0.workers == 1 && $0.tasks == 1 && $0.recordSize == recordSize && $0.compression == codec }) {
                            row.efficiency = row.recordsPerSecond / (base.recordsPerSecond * Double(taskCount))
                        } else if workerCount == 1 && taskCount == 1 {
                            row.efficiency = 1
                        }
                        rows.append(row)
                        out.write(SweepReport.table([row], peers: []).split(separator: "\n").dropFirst().joined() + "   (run \(rows.count))\n")
                    }
                }
            }
        }
        var peerFigures: [PeerFigures] = sinkPeers
        if peers && direction == "source" {
            // Timed sweeps: about as many records as the fastest run moved in 2 s (200,000 to 3,000,000).
            let peerRecords = records ?? Int(min(3_000_000, max(200_000, (rows.map(\.recordsPerSecond).max() ?? 100_000) * 2)))
            peerFigures += try PeerRun.measureAll(
                recordSizes: plan.recordSizes, codecs: plan.codecs, records: peerRecords, keyCardinality: keyCardinality,
                partitions: partitions, broker: broker, bootstrap: servers, producer: plan.producer, tag: tag)
        }
        out.write("\n" + SweepReport.table(rows, peers: peerFigures))
        let command = (["sluice"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        if let json {
            try SweepReport.writeJSON(rows, peers: peerFigures, command: command, to: json)
            out.write("results written to \(json)\n")
        }
        if let csv {
            try SweepReport.writeCSV(rows, peers: peerFigures, to: csv)
            out.write("results written to \(csv)\n")
        }
        if let plot {
            let title = "Sluice on \(ProcessInfo.processInfo.activeProcessorCount) cores: records/s by tasks.max and workers"
            try SweepReport.write(Data(SweepPlot.svg(rows, peers: peerFigures, title: title).utf8), to: plot)
            out.write("plot written to \(plot)\n")
        }
        let lost = rows.reduce(0) { $0 + ($1.lost ?? 0) }
        if lost > 0 { throw BenchError.runFailed("\(lost) records lost") }
    }

    /// Fills a topic for the sink direction with datagen's keys and values through
    /// the raw librdkafka loop. On the embedded cluster, which keeps the newest 5 MiB
    /// of each partition, the count is capped so that every record stays readable.
    private func fillSinkTopic(
        tag: String, recordSize: Int, codec: String, partitions: Int, broker: ChildBroker?, base: KafkaConfiguration, plan: Plan
    ) throws -> (name: String, records: Int) {
        let name = "sweep-sink-\(tag)"
        try broker?.createTopic(name, partitions: partitions)
        var count = records ?? 2_000_000
        if broker != nil {
            let capacity = partitions * (4 << 20) / (recordSize + 10 + 40)
            if count > capacity {
                FileHandleOutput.standardError.write("sluice bench: \(count) records of \(recordSize) bytes do not fit the embedded broker's \(partitions) × 5 MiB; reading \(capacity) (raise --partitions for more)\n")
                count = capacity
            }
        }
        var config = base
        config["compression.type"] = codec
        config["sticky.partitioning.linger.ms"] = "0"
        let setup = BenchRunSetup(
            tasks: 1, records: count, recordSize: recordSize, keyCardinality: keyCardinality, codec: codec, mode: .direct,
            cpus: plan.cpus, idle: plan.idle, batchBytes: batchBytes, batchCount: batchCount, producer: config)
        _ = try RawBenchRun.measure(setup, topic: name)
        return (name, count)
    }
}
