import SluiceConnectors
import SluiceCore
import SluiceKafka
import SluiceRuntime

/// Measures Sluice's datagen tasks producing one row's records.
enum SluiceBenchRun {
    static func measure(_ setup: BenchRunSetup, topic: String, output: BenchOutput) throws -> BenchRow {
        // The same Worker that runs standalone and distributed tasks runs the bench's.
        var workerSettings = Worker.Settings(producer: setup.producer, consumer: setup.producer, cpus: setup.cpus)
        workerSettings.source.batchBytes = setup.batchBytes
        workerSettings.source.batchCount = setup.batchCount
        workerSettings.source.maxRecordsPerBatch = max(1, setup.batchBytes / max(1, setup.bytesPerRecord))
        workerSettings.source.mode = setup.mode
        workerSettings.source.produceCall = setup.produceCall
        workerSettings.source.producerPath = setup.producerPath
        workerSettings.source.idle = setup.idle
        // Task i on the plan's CPU i, its lane on CPU i + tasks.
        workerSettings.laneCPUOffset = setup.tasks
        let worker = Worker(settings: workerSettings, registry: BuiltinConnectors.registry, offsets: nil, log: { _ in })
        var configs: [[String: String]] = []
        for share in setup.recordsPerTask {
            var config = DatagenConfig()
            config.recordSize = setup.recordSize
            config.keyCardinality = setup.keyCardinality
            config.iterations = share
            config.valueFormat = setup.valueFormat
            var taskConfig = config.asConfig.merging(setup.connectorConfig) { $1 }
            taskConfig["connector.class"] = "datagen"
            taskConfig["topic"] = topic
            configs.append(taskConfig)
        }
        var runners: [SourceTaskRunner] = []
        let label = "sluice \(setup.tasks) task\(setup.tasks == 1 ? "" : "s") \(setup.codec) \(setup.label)"
        let metrics = worker.metrics
        let progress = ProgressLine(label: label, total: setup.records, output: output) {
            metrics.taskCounters.values.reduce(0) { $0 + ($1.produce?.records.load(ordering: .relaxed) ?? 0) }
        }
        ProcessStats.resetPeakRSS()
        let cpuBefore = ProcessStats.cpuSeconds()
        let start = MonotonicClock.nanoseconds()
        do {
            for (taskID, config) in configs.enumerated() {
                let runner = try worker.startTask(ConnectorTaskID(connector: "bench", task: taskID), config: config)
                if let source = runner as? SourceTaskRunner { runners.append(source) }
            }
        } catch {
            worker.stopAll()
            throw error
        }
        for runner in runners { runner.join() }
        let seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9
        worker.stopAll()
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
