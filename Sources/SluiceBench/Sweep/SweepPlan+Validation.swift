import Foundation

extension SweepPlan {
    /// Checks every setting before any process starts (``SweepHarness/run(_:output:)``
    /// calls it first); the report files are created and removed again to prove they
    /// can be written.
    /// - Throws: ``BenchError`` naming the setting by its `sluice bench` flag;
    ///   `BenchError/invalidSetting(option:reason:)` naming `--batch-bytes` when a record cannot
    ///   fit a batch arena; `KafkaError/invalidProperty(name:value:reason:)` for a
    ///   producer property librdkafka refuses.
    public func validate() throws {
        try settings.validate()
        if let records { try PlanCheck.positive(records, option: "--records") }
        if records != nil && duration != nil {
            throw BenchError.conflictingSettings("--records and --duration exclude each other: a run is either bounded or timed")
        }
        if let partitions { try PlanCheck.positive(partitions, option: "--partitions") }
        try PlanCheck.positiveList(workerCounts, option: "--workers")
        if let most = workerCounts.max(), most > maxWorkers {
            throw BenchError.tooManyWorkers(
                requested: most, limit: maxWorkers, cores: ProcessInfo.processInfo.activeProcessorCount)
        }
        if let duration, !(duration > 0) {
            throw BenchError.invalidValue("\(duration)", option: "--duration", reason: "expected seconds, e.g. 20s")
        }
        if !(warmup >= 0) { throw BenchError.invalidValue("\(warmup)", option: "--warmup", reason: "expected 0 or more seconds") }
        if direction == .sink && (rate != nil || duration != nil || settings.verify) {
            throw BenchError.conflictingSettings(
                "--direction sink reads a filled topic to its end: --rate, --duration and --verify do not apply")
        }
        if let rate, !(rate > 0) {
            throw BenchError.invalidValue("\(rate)", option: "--rate", reason: "expected a positive number of records/s")
        }
        if settings.verify && records == nil {
            throw BenchError.conflictingSettings("--verify with --workers needs a bounded run: give --records")
        }
        if settings.verify, case .bootstrapServers = settings.cluster {
            throw BenchError.conflictingSettings(
                "--verify with --workers reads the topic inside the embedded cluster: leave out --bootstrap-servers")
        }
        try PlanCheck.writable([(plotPath, "--plot")])
    }
}
