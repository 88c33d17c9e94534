import Atomics
import SluiceCore
import SluiceKafka
import SluiceRuntime

/// A sink that counts what it is given and throws it away: the fastest possible sink,
/// for measuring the consume path. With `verify.datagen=true` it also checks datagen
/// stamps with a ``DatagenVerifier``.
public final class NullSinkConnector: SinkConnector {
    public let configDef = ConfigDef()
        .define("topics", .list, default: "", documentation: "Topics to read.")
        .define("verify.datagen", .boolean, default: "false", documentation: "Check datagen (task, sequence) stamps for gaps and duplicates.")
    private var config: [String: String] = [:]

    public init() {}

    public func start(config: [String: String]) throws { self.config = config }

    public func taskConfigs(maxTasks: Int) -> [[String: String]] {
        (0..<max(1, maxTasks)).map { _ in config }
    }

    public func makeTask() -> SinkTask { NullSinkTask() }
}

/// Counts records and, with `verify.datagen=true`, checks datagen stamps.
public final class NullSinkTask: SinkTask {
    /// Records put so far.
    public let records = ManagedAtomic<Int>(0)
    private var verifying = false
    /// Per datagen task: sequences seen (one bit each) and the highest one.
    private var seen: [UInt32: SequenceBits] = [:]
    private var duplicates = 0
    private var unstamped = 0

    public init() {}

    public func start(context: TaskContext) throws {
        verifying = (context.config["verify.datagen"] ?? "false") == "true"
    }

    public func put(_ batch: ConsumedBatch) throws {
        records.wrappingIncrement(by: batch.count, ordering: .relaxed)
        guard verifying else { return }
        for i in 0..<batch.count where batch[i].error == nil {
            guard let value = batch[i].value, let stamp = DatagenRecordLayout.stamp(of: value) else {
                unstamped += 1
                continue
            }
            // A class per task: updating it in place never copies the bit array.
            let entry: SequenceBits
            if let existing = seen[stamp.taskID] { entry = existing } else { entry = SequenceBits(); seen[stamp.taskID] = entry }
            if !entry.insert(stamp.sequence) { duplicates += 1 }
        }
    }

    /// What verification found so far: sequences missing below each task's highest one,
    /// duplicates, and values without a stamp.
    public var verification: (gaps: Int, duplicates: Int, unstamped: Int) {
        var gaps = 0
        for (_, entry) in seen {
            gaps += Int(entry.highest + 1) - entry.bits.reduce(0) { $0 + $1.nonzeroBitCount }
        }
        return (gaps, duplicates, unstamped)
    }

    public func put(records converted: [ConnectRecord]) throws {
        records.wrappingIncrement(by: converted.count, ordering: .relaxed)
    }
}

/// The sequence numbers seen from one datagen task, one bit each.
final class SequenceBits {
    var bits: [UInt64] = []
    var highest: UInt64 = 0

    /// Marks `sequence`; returns `false` when it was already marked.
    func insert(_ sequence: UInt64) -> Bool {
        let word = Int(sequence / 64)
        if word >= bits.count { bits += [UInt64](repeating: 0, count: max(word + 1 - bits.count, bits.count)) }
        let bit = UInt64(1) << (sequence % 64)
        highest = max(highest, sequence)
        if bits[word] & bit != 0 { return false }
        bits[word] |= bit
        return true
    }
}
