import Foundation
import SluiceCore
import SluiceHTTP

/// The settings of one sweep row.
struct SweepRunSetup {
    var workers: Int
    var tasks: Int
    var recordSize: Int
    var codec: String
    /// Total records (bounded run), or nil for a timed run.
    var records: Int?
    var durationSeconds: Double
    var warmupSeconds: Double
    /// Records/s for the whole connector, or nil for as fast as possible.
    var rate: Double?
    var keyCardinality: Int
    var partitions: Int
    var cpus: CPUSet?
    /// Extra worker properties (`-X name=value` becomes `producer.name=value`).
    var workerSettings: [String: String]
    var verify: Bool
    /// `source` (datagen → Kafka) or `sink` (Kafka → null sink).
    var direction = "source"
}

/// Runs one sweep row: starts the workers, creates a datagen connector over the
/// REST API, waits for every task to run, measures a steady window after a
/// warm-up, and tears everything down.
enum ClusterSweepRun {
    static func measure(_ setup: SweepRunSetup, broker: ChildBroker?, bootstrap: String, tag: String, sinkTopic: (name: String, records: Int)? = nil) throws -> SweepRow {
        if setup.direction == "sink", let sinkTopic {
            return try measureSink(setup, broker: broker, bootstrap: bootstrap, tag: tag, topic: sinkTopic.name, records: sinkTopic.records)
        }
        let topic = "sweep-\(tag)"
        try broker?.createTopic(topic, partitions: setup.partitions)
        var settings = try workerSettings(setup, broker: broker, tag: tag)
        settings["producer.compression.type"] = setup.codec
        let fleet = try WorkerFleet(count: setup.workers, bootstrap: bootstrap, group: "sluice-bench-\(tag)", settings: settings)
        defer { fleet.stop() }
        let url = fleet.workers[0].url
        let perTask = setup.records.map { ($0 + setup.tasks - 1) / setup.tasks }
        var config: [String: String] = [
            "connector.class": "datagen", "tasks.max": String(setup.tasks), "topic": topic,
            "record.size": String(setup.recordSize), "key.cardinality": String(setup.keyCardinality),
        ]
        if let perTask { config["iterations"] = String(perTask) }
        if let rate = setup.rate { config["max.records.per.sec"] = String(max(1, Int(rate) / setup.tasks)) }
        if setup.verify, let broker, let perTask {
            try broker.watch(topic, expected: Array(repeating: perTask, count: setup.tasks))
        }
        let name = "bench-\(tag)"
        let urls = fleet.workers.map(\.url)
        let pids = fleet.workers.map(\.process.processIdentifier)
        let brokerPID = broker?.processIdentifier
        // For a bounded run too short to sample while it runs: the state before it started.
        let idle = WorkerSample.take(urls: urls, workerPIDs: pids, brokerPID: brokerPID)
        try create(name: name, config: config, url: url, fleet: fleet)
        try waitForTasks(url: url, name: name, count: setup.tasks, fleet: fleet)

        var first: WorkerSample
        var last: WorkerSample
        var records: Double
        var seconds: Double
        var cpuEnd: WorkerSample
        if let perTask {
            // A bounded run: from the moment every task runs until the last finishes.
            // Finished tasks leave /metrics, so the count is the total minus what was written before.
            first = WorkerSample.take(urls: urls, workerPIDs: pids, brokerPID: brokerPID)
            last = first
            var end = first
            while true {
                usleep(100_000)
                let now = WorkerSample.take(urls: urls, workerPIDs: pids, brokerPID: brokerPID)
                end = now
                if now.tasks == setup.tasks { last = now } else { break }
                if let dead = fleet.workers.firstIndex(where: { !$0.process.isRunning }) {
                    throw BenchError.workerFailed("worker \(dead) exited during the run", logTail: fleet.logTail(dead))
                }
            }
            if first.tasks < setup.tasks || first.written >= Double(perTask * setup.tasks) {
                // The tasks finished before the first sample: time the whole run, from
                // before the connector was created (task start-up included).
                first = idle
                last = idle
            }
            records = Double(perTask * setup.tasks) - first.written
            seconds = end.time - first.time
            cpuEnd = end
        } else {
            usleep(UInt32(setup.warmupSeconds * 1_000_000))
            first = WorkerSample.take(urls: urls, workerPIDs: pids, brokerPID: brokerPID)
            last = first
            let progress = FileHandleOutput.standardError.isTerminal
            let deadline = first.time + setup.durationSeconds
            while last.time < deadline {
                usleep(500_000)
                let now = WorkerSample.take(urls: urls, workerPIDs: pids, brokerPID: brokerPID)
                if now.tasks == setup.tasks { last = now }
                if progress {
                    let rate = last.time > first.time ? (last.written - first.written) / (last.time - first.time) : 0
                    FileHandleOutput.standardError.write("\r\u{1B}[K  \(setup.workers) workers, \(setup.tasks) tasks: \(Int(rate)) records/s")
                }
                if let dead = fleet.workers.firstIndex(where: { !$0.process.isRunning }) {
                    throw BenchError.workerFailed("worker \(dead) exited during the run", logTail: fleet.logTail(dead))
                }
                if now.tasks < setup.tasks && now.time > deadline { break }
            }
            if progress { FileHandleOutput.standardError.write("\r\u{1B}[K") }
            records = last.written - first.written
            seconds = last.time - first.time
            cpuEnd = last
        }
        guard seconds > 0, records > 0 else {
            throw BenchError.runFailed("no records were measured: the window was empty (use more --records or a longer --duration)")
        }
        // Stage fractions come from the samples in which every task was present (none
        // in a run shorter than one sample: then they read 0); CPU from the whole window.
        let stageSeconds = max(last.time - first.time, 1e-9)
        let workerCPUSeconds = cpuEnd.workerCPU - first.workerCPU
        let brokerCPUSeconds = cpuEnd.brokerCPU - first.brokerCPU
        let taskSeconds = stageSeconds * Double(setup.tasks)
        let stages = StageFractions(
            sourceBusy: (last.busySeconds - first.busySeconds) / taskSeconds,
            handoffWait: (last.waitSeconds - first.waitSeconds) / taskSeconds,
            produceBusy: (last.produceSeconds - first.produceSeconds) / taskSeconds,
            outstandingRecords: (first.outstanding + last.outstanding) / 2,
            workerCPU: workerCPUSeconds / seconds / Double(setup.cpus?.cpus.count ?? CPUSet.available().cpus.count),
            machineCPU: (workerCPUSeconds + brokerCPUSeconds) / seconds
                / Double(ProcessInfo.processInfo.activeProcessorCount))
        let recordsPerSecond = records / seconds
        let verdict = StageVerdict.decide(
            recordsPerSecond: recordsPerSecond, rateLimit: setup.rate, stages: stages,
            workerCores: Double(setup.cpus?.cpus.count ?? CPUSet.available().cpus.count),
            machineCores: Double(ProcessInfo.processInfo.activeProcessorCount))
        var row = SweepRow(
            workers: setup.workers, tasks: setup.tasks, recordSize: setup.recordSize, compression: setup.codec,
            seconds: seconds, records: records, recordsPerSecond: recordsPerSecond,
            cpuSecondsPerMillion: workerCPUSeconds / records * 1e6,
            brokerCPUSecondsPerMillion: broker == nil ? nil : brokerCPUSeconds / records * 1e6,
            stages: stages, verdict: verdict)
        if setup.verify, let broker, setup.records != nil {
            try waitForFinish(url: url, name: name, fleet: fleet)
            let outcome = try broker.result(topic)
            if outcome.truncated {
                throw BenchError.runFailed("verification of '\(topic)' is incomplete: the embedded broker dropped records before they were read; raise --partitions or lower --records")
            }
            row.lost = outcome.report.lost
            row.duplicates = outcome.report.duplicates + outcome.report.unexpected
        }
        _ = try? BlockingHTTPClient.call("DELETE", url + "connectors/\(name)", timeoutSeconds: 10)
        return row
    }

    /// Kafka → null sink: `records` records already in `topic` are read by a sink
    /// connector with `tasks.max` tasks; the window runs from the first record read
    /// (after the consumer group's join) until the last.
    static func measureSink(_ setup: SweepRunSetup, broker: ChildBroker?, bootstrap: String, tag: String, topic: String, records total: Int) throws -> SweepRow {
        var settings = try workerSettings(setup, broker: broker, tag: tag)
        settings["consumer.fetch.max.bytes"] = settings["consumer.fetch.max.bytes"] ?? "52428800"
        let fleet = try WorkerFleet(count: setup.workers, bootstrap: bootstrap, group: "sluice-bench-\(tag)", settings: settings)
        defer { fleet.stop() }
        let url = fleet.workers[0].url
        // A name per row: the sink's consumer group is connect-<name>, and must start fresh.
        let name = "bench-\(tag)"
        try create(name: name, config: ["connector.class": "null", "tasks.max": String(setup.tasks), "topics": topic], url: url, fleet: fleet)
        try waitForTasks(url: url, name: name, count: setup.tasks, fleet: fleet)
        let urls = fleet.workers.map(\.url)
        let pids = fleet.workers.map(\.process.processIdentifier)
        let brokerPID = broker?.processIdentifier
        var first: WorkerSample?
        var last = WorkerSample.take(urls: urls, workerPIDs: pids, brokerPID: brokerPID)
        let deadline = Date().addingTimeInterval(180)
        while last.read < Double(total) {
            guard Date() < deadline else {
                throw BenchError.runFailed("the sink read \(Int(last.read)) of \(total) records within 180 s")
            }
            if let dead = fleet.workers.firstIndex(where: { !$0.process.isRunning }) {
                throw BenchError.workerFailed("worker \(dead) exited during the run", logTail: fleet.logTail(dead))
            }
            usleep(50_000)
            last = WorkerSample.take(urls: urls, workerPIDs: pids, brokerPID: brokerPID)
            if first == nil && last.read > 0 { first = last }
        }
        guard let first, last.time > first.time else {
            throw BenchError.runFailed("the sink read all \(total) records within one sample: use more --records")
        }
        let seconds = last.time - first.time
        let records = last.read - first.read
        let workerCPUSeconds = last.workerCPU - first.workerCPU
        let brokerCPUSeconds = last.brokerCPU - first.brokerCPU
        let cores = Double(setup.cpus?.cpus.count ?? CPUSet.available().cpus.count)
        let stages = StageFractions(
            sourceBusy: (last.busySeconds - first.busySeconds) / (seconds * Double(setup.tasks)),
            handoffWait: 0, produceBusy: 0, outstandingRecords: 0,
            workerCPU: workerCPUSeconds / seconds / cores,
            machineCPU: (workerCPUSeconds + brokerCPUSeconds) / seconds / Double(ProcessInfo.processInfo.activeProcessorCount))
        let verdict = StageVerdict.decide(
            recordsPerSecond: records / seconds, rateLimit: nil, stages: stages, workerCores: cores,
            machineCores: Double(ProcessInfo.processInfo.activeProcessorCount))
        _ = try? BlockingHTTPClient.call("DELETE", url + "connectors/\(name)", timeoutSeconds: 10)
        return SweepRow(
            direction: "sink", workers: setup.workers, tasks: setup.tasks, recordSize: setup.recordSize, compression: setup.codec,
            seconds: seconds, records: records, recordsPerSecond: records / seconds,
            cpuSecondsPerMillion: workerCPUSeconds / records * 1e6,
            brokerCPUSecondsPerMillion: broker == nil ? nil : brokerCPUSeconds / records * 1e6, stages: stages, verdict: verdict)
    }

    /// The row's worker settings: its own internal topics (each row is its own
    /// cluster of workers; created here on the embedded cluster) and its CPUs.
    private static func workerSettings(_ setup: SweepRunSetup, broker: ChildBroker?, tag: String) throws -> [String: String] {
        var settings = setup.workerSettings
        for (setting, kind, partitions) in [("config", "configs", 1), ("offset", "offsets", 5), ("status", "status", 5)] {
            try broker?.createTopic("connect-\(kind)-\(tag)", partitions: partitions)
            settings["\(setting).storage.topic"] = "connect-\(kind)-\(tag)"
        }
        if let cpus = setup.cpus { settings["worker.cpus"] = cpus.description }
        return settings
    }

    /// Creates the connector, retrying while the group is still forming (409).
    private static func create(name: String, config: [String: String], url: String, fleet: WorkerFleet) throws {
        let deadline = Date().addingTimeInterval(90)
        while true {
            let reply = try BlockingHTTPClient.call("POST", url + "connectors", json: ["name": name, "config": config])
            if reply.status == 201 { return }
            guard reply.status == 409, Date() < deadline else {
                let tail = reply.status == 409 ? fleet.logTail(0) : ""
                throw BenchError.workerFailed("creating the connector failed (\(reply.status)): \(reply.object["message"] as? String ?? reply.text)", logTail: tail)
            }
            if let dead = fleet.workers.firstIndex(where: { !$0.process.isRunning }) {
                throw BenchError.workerFailed("worker \(dead) exited while the group formed", logTail: fleet.logTail(dead))
            }
            usleep(200_000)
        }
    }

    private static func states(url: String, name: String) -> [String] {
        guard let reply = try? BlockingHTTPClient.call("GET", url + "connectors/\(name)/status", timeoutSeconds: 10) else { return [] }
        return (reply.object["tasks"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String }
    }

    /// Waits until every task runs; a worker that dies or a task that fails stops the sweep.
    private static func waitForTasks(url: String, name: String, count: Int, fleet: WorkerFleet) throws {
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            let now = states(url: url, name: name)
            if now.count == count && now.allSatisfy({ $0 == "RUNNING" || $0 == "STOPPED" }) { return }
            if now.contains("FAILED") {
                throw BenchError.workerFailed("a task FAILED", logTail: fleet.workers.indices.map { fleet.logTail($0) }.joined(separator: "\n"))
            }
            if let dead = fleet.workers.firstIndex(where: { !$0.process.isRunning }) {
                throw BenchError.workerFailed("worker \(dead) exited before its tasks ran", logTail: fleet.logTail(dead))
            }
            usleep(200_000)
        }
        throw BenchError.workerFailed("the tasks did not all start within 90 s (states: \(states(url: url, name: name)))", logTail: fleet.logTail(0))
    }

    private static func waitForFinish(url: String, name: String, fleet: WorkerFleet) throws {
        let deadline = Date().addingTimeInterval(600)
        while Date() < deadline {
            if states(url: url, name: name).allSatisfy({ $0 == "STOPPED" }) { return }
            usleep(200_000)
        }
        throw BenchError.runFailed("the tasks did not finish within 600 s")
    }
}
