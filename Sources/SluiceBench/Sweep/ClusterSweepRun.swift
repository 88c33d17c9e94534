import Foundation
import SluiceCore

/// Runs one sweep row: starts the workers, creates a datagen (or null sink)
/// connector over the REST API, waits for every task to run, measures a window, and
/// tears everything down.
struct ClusterSweepRun {
    let setup: SweepRunSetup
    let cluster: RunningCluster
    let tag: String
    let output: BenchOutput

    /// The row; `sinkTopic` is the filled topic of a sink row.
    func measure(sinkTopic: SinkTopic? = nil) throws -> SweepRow {
        if setup.direction == .sink, let sinkTopic { return try measureSink(sinkTopic) }
        let topic = "sweep-\(tag)"
        try cluster.broker?.createTopic(topic, partitions: setup.partitions)
        var settings = try workerSettings()
        settings["producer.compression.type"] = setup.codec
        let fleet = try startFleet(settings)
        defer { fleet.stop() }
        let perTask = setup.records.map { ($0 + setup.tasks - 1) / setup.tasks }
        var config: [String: String] = [
            "connector.class": "datagen", "tasks.max": String(setup.tasks), "topic": topic,
            "record.size": String(setup.recordSize), "key.cardinality": String(setup.keyCardinality),
        ]
        if let perTask { config["iterations"] = String(perTask) }
        if let rate = setup.rate { config["max.records.per.sec"] = String(max(1, Int(rate) / setup.tasks)) }
        if setup.verify, let broker = cluster.broker, let perTask {
            try broker.watch(topic, expected: Array(repeating: perTask, count: setup.tasks))
        }
        let connector = SweepConnector(name: "bench-\(tag)", fleet: fleet)
        // For a bounded run too short to sample while it runs: the state before it started.
        let idle = sample(fleet)
        try connector.create(config: config)
        try connector.waitForTasks(count: setup.tasks)
        let window = try perTask.map { try boundedWindow(fleet, total: $0 * setup.tasks, before: idle) }
            ?? timedWindow(fleet)
        var row = try row(window)
        if setup.verify, let broker = cluster.broker, setup.records != nil {
            try connector.waitForFinish()
            let outcome = try broker.result(topic)
            if outcome.truncated {
                throw BenchError.runFailed("verification of '\(topic)' is incomplete: the embedded broker dropped records before they were read; raise --partitions or lower --records")
            }
            row.lost = outcome.report.lost
            row.duplicates = outcome.report.duplicates + outcome.report.unexpected
        }
        connector.delete()
        return row
    }

    /// A bounded run: from the moment every task runs until the last finishes.
    /// Finished tasks leave /metrics, so the count is the total minus what was
    /// written before the window.
    private func boundedWindow(_ fleet: WorkerFleet, total: Int, before idle: WorkerSample) throws -> SweepWindow {
        var first = sample(fleet)
        var last = first
        var end = first
        while true {
            usleep(100_000)
            let now = sample(fleet)
            end = now
            if now.tasks == setup.tasks { last = now } else { break }
            try fleet.checkRunning("during the run")
        }
        if first.tasks < setup.tasks || first.written >= Double(total) {
            // The tasks finished before the first sample: time the whole run, from
            // before the connector was created (task start-up included).
            first = idle
            last = idle
        }
        return SweepWindow(
            first: first, last: last, cpuEnd: end, records: Double(total) - first.written, seconds: end.time - first.time)
    }

    /// A timed run: a window of `durationSeconds` after `warmupSeconds`.
    private func timedWindow(_ fleet: WorkerFleet) throws -> SweepWindow {
        usleep(UInt32(setup.warmupSeconds * 1_000_000))
        let first = sample(fleet)
        var last = first
        let deadline = first.time + setup.durationSeconds
        while last.time < deadline {
            usleep(500_000)
            let now = sample(fleet)
            if now.tasks == setup.tasks { last = now }
            if output.drawsProgress {
                let rate = last.time > first.time ? (last.written - first.written) / (last.time - first.time) : 0
                output.diagnostics("\r\u{1B}[K  \(setup.workers) workers, \(setup.tasks) tasks: \(Int(rate)) records/s")
            }
            try fleet.checkRunning("during the run")
            if now.tasks < setup.tasks && now.time > deadline { break }
        }
        if output.drawsProgress { output.diagnostics("\r\u{1B}[K") }
        return SweepWindow(
            first: first, last: last, cpuEnd: last, records: last.written - first.written, seconds: last.time - first.time)
    }

    /// A source row from its window: stage fractions from the samples in which every
    /// task was present (none in a run shorter than one sample: then they read 0),
    /// CPU from the whole window.
    private func row(_ window: SweepWindow) throws -> SweepRow {
        guard window.seconds > 0, window.records > 0 else {
            throw BenchError.runFailed("no records were measured: the window was empty (use more --records or a longer --duration)")
        }
        let (first, last) = (window.first, window.last)
        let taskSeconds = max(last.time - first.time, 1e-9) * Double(setup.tasks)
        let stages = StageFractions(
            sourceBusy: (last.busySeconds - first.busySeconds) / taskSeconds,
            handoffWait: (last.waitSeconds - first.waitSeconds) / taskSeconds,
            produceBusy: (last.produceSeconds - first.produceSeconds) / taskSeconds,
            outstandingRecords: (first.outstanding + last.outstanding) / 2,
            workerCPU: window.workerCPUSeconds / window.seconds / setup.workerCores,
            machineCPU: window.machineCPU,
            workerCPUWait: window.workerCPUWaitSeconds / window.seconds / setup.workerCores)
        return sweepRow(window, stages: stages, rateLimit: setup.rate)
    }

    /// Kafka → null sink: the records already in `topic` are read by a sink connector
    /// with `tasks.max` tasks; the window runs from the first record read (after the
    /// consumer group's join) until the last.
    private func measureSink(_ topic: SinkTopic) throws -> SweepRow {
        var settings = try workerSettings()
        settings["consumer.fetch.max.bytes"] = settings["consumer.fetch.max.bytes"] ?? "52428800"
        let fleet = try startFleet(settings)
        defer { fleet.stop() }
        // A name per row: the sink's consumer group is connect-<name>, and must start fresh.
        let connector = SweepConnector(name: "bench-\(tag)", fleet: fleet)
        try connector.create(config: ["connector.class": "null", "tasks.max": String(setup.tasks), "topics": topic.name])
        try connector.waitForTasks(count: setup.tasks)
        var first: WorkerSample?
        var last = sample(fleet)
        let deadline = Date().addingTimeInterval(180)
        while last.read < Double(topic.records) {
            guard Date() < deadline else {
                throw BenchError.runFailed("the sink read \(Int(last.read)) of \(topic.records) records within 180 s")
            }
            try fleet.checkRunning("during the run")
            usleep(50_000)
            last = sample(fleet)
            if first == nil && last.read > 0 { first = last }
        }
        guard let first, last.time > first.time else {
            throw BenchError.runFailed("the sink read all \(topic.records) records within one sample: use more --records")
        }
        let window = SweepWindow(
            first: first, last: last, cpuEnd: last, records: last.read - first.read, seconds: last.time - first.time)
        let stages = StageFractions(
            sourceBusy: (last.busySeconds - first.busySeconds) / (window.seconds * Double(setup.tasks)),
            handoffWait: 0, produceBusy: 0, outstandingRecords: 0,
            workerCPU: window.workerCPUSeconds / window.seconds / setup.workerCores,
            machineCPU: window.machineCPU,
            workerCPUWait: window.workerCPUWaitSeconds / window.seconds / setup.workerCores)
        connector.delete()
        var row = sweepRow(window, stages: stages, rateLimit: nil)
        row.direction = SweepDirection.sink.rawValue
        return row
    }

    /// The row of a measured window, with its verdict.
    private func sweepRow(_ window: SweepWindow, stages: StageFractions, rateLimit: Double?) -> SweepRow {
        let recordsPerSecond = window.records / window.seconds
        let verdict = StageVerdict.decide(
            recordsPerSecond: recordsPerSecond, rateLimit: rateLimit, stages: stages,
            workerCores: setup.workerCores, machineCores: SweepWindow.machineCores)
        return SweepRow(
            workers: setup.workers, tasks: setup.tasks, recordSize: setup.recordSize, compression: setup.codec,
            seconds: window.seconds, records: window.records, recordsPerSecond: recordsPerSecond,
            cpuSecondsPerMillion: window.workerCPUSeconds / window.records * 1e6,
            brokerCPUSecondsPerMillion: cluster.broker == nil ? nil : window.brokerCPUSeconds / window.records * 1e6,
            stages: stages, verdict: verdict)
    }

    private func sample(_ fleet: WorkerFleet) -> WorkerSample {
        WorkerSample.take(urls: fleet.urls, workerPIDs: fleet.processIdentifiers, brokerPID: cluster.broker?.processIdentifier)
    }

    private func startFleet(_ settings: [String: String]) throws -> WorkerFleet {
        try WorkerFleet(
            count: setup.workers, executable: setup.workerExecutable, bootstrap: cluster.bootstrapServers,
            group: "sluice-bench-\(tag)", settings: settings)
    }

    /// The row's worker settings: its own internal topics (each row is its own
    /// cluster of workers; created here on the embedded cluster) and its CPUs.
    private func workerSettings() throws -> [String: String] {
        var settings = setup.workerSettings
        for (setting, kind, partitions) in [("config", "configs", 1), ("offset", "offsets", 5), ("status", "status", 5)] {
            try cluster.broker?.createTopic("connect-\(kind)-\(tag)", partitions: partitions)
            settings["\(setting).storage.topic"] = "connect-\(kind)-\(tag)"
        }
        if let cpus = setup.cpus { settings["worker.cpus"] = cpus.description }
        return settings
    }
}
