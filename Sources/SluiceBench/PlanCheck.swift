import SluiceConnectors
import SluiceCore
import SluiceKafka

/// The checks ``BenchPlan`` and ``SweepPlan`` share; each throws a ``BenchError``
/// naming the `sluice bench` flag of the setting.
enum PlanCheck {
    /// At least one value, every one a positive integer.
    static func positiveList(_ values: [Int], option: String) throws {
        try nonEmpty(values, option: option)
        for value in values where value <= 0 {
            throw BenchError.invalidListElement(String(value), option: option, reason: "expected a positive integer")
        }
    }

    /// At least one value.
    static func nonEmpty<Element>(_ values: [Element], option: String) throws {
        if values.isEmpty { throw BenchError.invalidValue("", option: option, reason: "expected at least one value") }
    }

    static func positive(_ value: Int, option: String) throws {
        if value <= 0 { throw BenchError.invalidValue(String(value), option: option, reason: "expected a positive integer") }
    }

    /// Record sizes that carry datagen's stamp and, with their key, fit a batch arena;
    /// a batch pool of at least two batches; a key count of 0 or more.
    static func records(sizes: [Int], keyCardinality: Int, batchBytes: Int, batchCount: Int) throws {
        try positiveList(sizes, option: "--record-size")
        for size in sizes where size < DatagenRecordLayout.stampBytes {
            throw BenchError.invalidValue(
                String(size), option: "--record-size",
                reason: "at least \(DatagenRecordLayout.stampBytes) bytes carry the (task, sequence) stamp")
        }
        guard batchCount >= 2 else {
            throw BenchError.invalidValue(String(batchCount), option: "--batch-count", reason: "expected at least 2")
        }
        guard keyCardinality >= 0 else {
            throw BenchError.invalidValue(String(keyCardinality), option: "--key-cardinality", reason: "expected 0 or more")
        }
        let keyBytes = keyCardinality > 0 ? DatagenRecordLayout.keyLength : 0
        if let largest = sizes.max(), largest + keyBytes > batchBytes {
            throw RecordBatchError.recordTooLarge(recordBytes: largest + keyBytes, arenaBytes: batchBytes)
        }
    }

    /// Report files that can be written, checked before anything runs.
    static func writable(_ paths: [(path: String?, option: String)]) throws {
        for case let (path?, option) in paths { try ReportFile.checkWritable(path, flag: option) }
    }

    /// CPUs this process may use; then producer properties librdkafka accepts.
    static func cpusAndProducer(_ cpus: CPUSet?, _ producer: KafkaConfiguration) throws {
        if let cpus {
            do { try cpus.validateAvailable() } catch { throw BenchError.invalidSetting(option: "--cpus", reason: "\(error)") }
        }
        try producer.validate()
    }
}
