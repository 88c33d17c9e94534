import SluiceConnectors
import SluiceCore

extension BenchSettings {
    /// The checks both plans make: lists with values, records that carry datagen's
    /// stamp and fit a batch arena, writable files, CPUs that exist, properties
    /// librdkafka accepts.
    func validate() throws {
        try PlanCheck.positiveList(taskCounts, option: "--tasks")
        try PlanCheck.nonEmpty(compressions, option: "--compression")
        try PlanCheck.positiveList(recordSizes, option: "--record-size")
        for size in recordSizes where size < DatagenRecordLayout.stampBytes {
            throw BenchError.invalidValue(
                String(size), option: "--record-size",
                reason: "at least \(DatagenRecordLayout.stampBytes) bytes carry the (task, sequence) stamp")
        }
        try PlanCheck.writable([(jsonPath, "--json"), (csvPath, "--csv")])
        guard batchCount >= 2 else {
            throw BenchError.invalidValue(String(batchCount), option: "--batch-count", reason: "expected at least 2")
        }
        guard keyCardinality >= 0 else {
            throw BenchError.invalidValue(String(keyCardinality), option: "--key-cardinality", reason: "expected 0 or more")
        }
        let keyBytes = keyCardinality > 0 ? DatagenRecordLayout.keyLength : 0
        if let largest = recordSizes.max(), largest + keyBytes > batchBytes {
            throw BenchError.invalidSetting(
                option: "--batch-bytes",
                reason: "\(RecordBatchError.recordTooLarge(recordBytes: largest + keyBytes, arenaBytes: batchBytes)) (raise --batch-bytes)")
        }
        if let cpus {
            do { try cpus.validateAvailable() } catch { throw BenchError.invalidSetting(option: "--cpus", reason: "\(error)") }
        }
        try producer.validate()
    }
}
