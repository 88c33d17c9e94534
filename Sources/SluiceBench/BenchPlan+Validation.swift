extension BenchPlan {
    /// Checks every setting before anything runs (``BenchHarness/run(_:output:)``
    /// calls it first); the report files are created and removed again to prove they
    /// can be written.
    /// - Throws: ``BenchError`` naming the setting by its `sluice bench` flag;
    ///   `BenchError/invalidSetting(option:reason:)` naming `--batch-bytes` when a record cannot
    ///   fit a batch arena; `KafkaError/invalidProperty(name:value:reason:)` for a
    ///   producer property librdkafka refuses.
    public func validate() throws {
        try settings.validate()
        try PlanCheck.nonEmpty(modes, option: "--mode")
        try PlanCheck.nonEmpty(produceCalls, option: "--produce-call")
        try PlanCheck.nonEmpty(producerPaths, option: "--producer")
        try PlanCheck.nonEmpty(pipelines, option: "--pipeline")
        try PlanCheck.positive(repeats, option: "--repeat")
        try PlanCheck.positive(records, option: "--records")
        try PlanCheck.positive(partitions, option: "--partitions")
        if settings.verify && (valueFormat == .json || pipelines.contains(.converted)) {
            throw BenchError.conflictingSettings(
                "--verify reads the binary datagen stamp: use it with --value-format bytes and --pipeline zero-copy")
        }
    }
}
