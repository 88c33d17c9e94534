import SluiceConnectors
import SluiceCore
import SluiceKafka
import SluiceRuntime

/// Measures Sluice's datagen tasks producing one row's records.
enum SluiceBenchRun {
    static func measure(_ setup: BenchRunSetup, topic: String, output: BenchOutput) throws -> BenchRow {
        var settings = SourceTaskRunner.Settings()
        settings.batchBytes = setup.batchBytes
        settings.batchCount = setup.batchCount
        settings.maxRecordsPerBatch = max(1, setup.batchBytes / max(1, setup.bytesPerRecord))
        settings.mode = setup.mode
        settings.produceCall = setup.produceCall
        settings.idle = setup.idle
        let shares = setup.recordsPerTask
        var runners: [SourceTaskRunner] = []
        for (taskID, share) in shares.enumerated() {
            var config = DatagenConfig()
            config.recordSize = setup.recordSize
            config.keyCardinality = setup.keyCardinality
            config.iterations = share
            config.valueFormat = setup.valueFormat
            var taskSettings = settings
            taskSettings.taskCPU = setup.cpus.cpu(forThread: taskID)
            taskSettings.laneCPU = setup.cpus.cpu(forThread: taskID + setup.tasks)
            let context = TaskContext(
                connectorName: "bench", taskID: taskID, config: config.asConfig.merging(setup.connectorConfig) { $1 })
            runners.append(try SourceTaskRunner(
                task: DatagenTask(config: config), context: context, topic: topic,
                producerConfiguration: setup.producer, settings: taskSettings))
        }
        let label = "sluice \(setup.tasks) task\(setup.tasks == 1 ? "" : "s") \(setup.codec) \(setup.label)"
        let progress = ProgressLine(label: label, total: setup.records, output: output) { [runners] in
            runners.reduce(0) { $0 + $1.produceCounters.records.load(ordering: .relaxed) }
        }
        ProcessStats.resetPeakRSS()
        let cpuBefore = ProcessStats.cpuSeconds()
        let start = MonotonicClock.nanoseconds()
        for runner in runners { try runner.start() }
        for runner in runners { runner.join() }
        let seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9
        let cpu = ProcessStats.cpuSeconds() - cpuBefore
        let peak = Double(ProcessStats.peakRSSBytes()) / 1_048_576
        progress.finish()

        var statistics = DeliveryStatistics()
        for runner in runners {
            statistics.add(runner.deliveryStatistics)
            if let error = runner.error {
                throw BenchError.runFailed("task \(runner.context.taskID) failed: \(error)")
            }
        }
        let delivered = statistics.delivered
        var row = BenchRow(
            tasks: setup.tasks, compression: setup.codec, mode: setup.label,
            recordSize: setup.recordSize, records: setup.records, seconds: seconds,
            recordsPerSecond: Double(delivered) / seconds,
            megabytesPerSecond: Double(delivered * setup.bytesPerRecord) / seconds / 1_000_000,
            cpuSecondsPerMillion: cpu / (Double(max(delivered, 1)) / 1e6),
            p50Milliseconds: Double(statistics.latencyMicros.valueAtPercentile(50)) / 1000,
            p99Milliseconds: Double(statistics.latencyMicros.valueAtPercentile(99)) / 1000,
            peakRSSMegabytes: peak, failed: statistics.failed)
        row.queueFullWaits = statistics.queueFullWaits
        return row
    }
}
