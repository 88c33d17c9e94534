import SluiceCore
import SluiceRuntime

/// A source task that generates records of a set size straight into the batch arena.
///
/// Every value starts with the task id and a per-task sequence number
/// (``DatagenRecordLayout``), so a reader (``DatagenVerifier``) can prove that every
/// record arrived exactly once. Keys cycle through `key.cardinality` values. Writing
/// a record costs one copy of the filler into the arena, a 12-byte stamp and an
/// odometer step for the key: no allocation, no formatting.
///
/// Its source offset is the next sequence number, under the source partition
/// `datagen-task-<id>`: a task restarted elsewhere (distributed mode) or after a
/// crash resumes from the last committed sequence, so a verifier sees every
/// sequence at least once.
public final class DatagenTask: SourceTask {
    private var config = DatagenConfig()
    private var taskID: UInt32 = 0
    // Touched only on the task thread; skipping the dynamic exclusivity check
    // keeps the per-record loop free of runtime calls.
    @exclusivity(unchecked) private var sequence: UInt64 = 0
    @exclusivity(unchecked) private var keyValue = 0
    private var keyDigits = [UInt8](repeating: UInt8(ascii: "0"), count: DatagenRecordLayout.keyLength)
    private let filler = DatagenRecordLayout.filler
    /// Records written so far.
    public var written: UInt64 { sequence }

    /// Creates a task; its settings come from the context given to ``start(context:)``
    /// unless `config` is passed here.
    public init(config: DatagenConfig? = nil) {
        if let config { self.config = config }
        presetConfig = config != nil
    }

    private let presetConfig: Bool

    public func start(context: TaskContext) throws {
        if !presetConfig { config = try DatagenConfig(config: context.config) }
        // poll writes the stamp without bounds checks in release builds: refuse here.
        try config.validate()
        taskID = UInt32(truncatingIfNeeded: context.taskID)
        if let committed = context.offsets[partitionName], committed > 0 {
            resume(at: UInt64(committed))
        }
    }

    private var partitionName: String { "datagen-task-\(taskID)" }

    public func sourcePartitionName(_ index: Int) -> String? { index == 0 ? partitionName : nil }

    /// Continues from `next`: the sequence, the key odometer and the rate limit's count.
    private func resume(at next: UInt64) {
        sequence = next
        rateBase = next
        guard config.keyCardinality > 0 else { return }
        keyValue = Int(next % UInt64(config.keyCardinality))
        let text = Array(String(keyValue).utf8)
        let width = keyDigits.count
        for i in 0..<width { keyDigits[i] = UInt8(ascii: "0") }
        for (i, digit) in text.suffix(width).enumerated() { keyDigits[width - min(text.count, width) + i] = digit }
    }

    /// The sequence the rate limit counts from (the resumed position).
    private var rateBase: UInt64 = 0

    /// Binary values are opaque bytes; `value.format=json` values are JSON objects.
    public var valueFormat: SourceValueFormat { config.valueFormat == "json" ? .json : .bytes }

    /// `value.format` of `config`: the runner asks before the task has started.
    public func valueFormat(for config: [String: String]) -> SourceValueFormat {
        config["value.format"] == "json" ? .json : .bytes
    }

    /// When the rate limit started counting.
    private var rateStart: UInt64 = 0

    public func poll(into batch: RecordBatch) throws -> SourcePollResult {
        let result = try pollRecords(into: batch)
        if batch.count > 0 {
            batch.sourcePartition = 0
            batch.sourceOffset = Int64(sequence)
        }
        return result
    }

    private func pollRecords(into batch: RecordBatch) throws -> SourcePollResult {
        guard config.maxRecordsPerSecond > 0 else { return try pollUnlimited(into: batch) }
        // Allow what the elapsed time permits (at most a batch), then wait for the runner's next poll.
        let now = MonotonicClock.nanoseconds()
        if rateStart == 0 { rateStart = now }
        let allowed = rateBase + UInt64(Double(now - rateStart) / 1e9 * Double(config.maxRecordsPerSecond)) + 1
        guard sequence < allowed else { return .caughtUp }
        let savedIterations = config.iterations
        let cap = sequence + min(allowed - sequence, UInt64(batch.recordCapacity))
        config.iterations = savedIterations > 0 ? Int(min(UInt64(savedIterations), cap)) : Int(cap)
        defer { config.iterations = savedIterations }
        let result = try pollUnlimited(into: batch)
        if result == .endOfData && (savedIterations == 0 || sequence < UInt64(savedIterations)) { return .caughtUp }
        return result
    }

    private func pollUnlimited(into batch: RecordBatch) throws -> SourcePollResult {
        if config.valueFormat == "json" { return try pollJSON(into: batch) }
        let size = config.recordSize
        let keyLength = config.keyCardinality > 0 ? DatagenRecordLayout.keyLength : -1
        let fillerSpan = filler.count - size
        let limit = config.iterations > 0 ? UInt64(config.iterations) : UInt64.max
        let taskID = self.taskID
        return try filler.withUnsafeBytes { fillerBytes in
            try keyDigits.withUnsafeMutableBytes { digits in
                while sequence < limit {
                    let sequence = self.sequence
                    let appended = try batch.append(keyLength: keyLength, valueLength: size) { key, value in
                        if keyLength > 0 { key.copyMemory(from: UnsafeRawBufferPointer(digits)) }
                        // Filler after the stamp, from a window that moves with the sequence;
                        // values longer than the filler repeat it.
                        var at = DatagenRecordLayout.stampBytes
                        var from = fillerSpan > 0 ? Int(truncatingIfNeeded: (sequence &* 61) % UInt64(fillerSpan)) : 0
                        while at < size {
                            let copy = Swift.min(size - at, fillerBytes.count - from)
                            (value.baseAddress! + at).copyMemory(from: fillerBytes.baseAddress! + from, byteCount: copy)
                            at += copy
                            from = 0
                        }
                        DatagenRecordLayout.writeStamp(taskID: taskID, sequence: sequence, into: value)
                    }
                    if !appended { return .batchFull }
                    self.sequence = sequence &+ 1
                    if keyLength > 0 { advanceKey(digits) }
                }
                return .endOfData
            }
        }
    }

    /// Writes `{"task":T,"seq":S,"payload":"…"}` values padded to about `record.size` bytes.
    private func pollJSON(into batch: RecordBatch) throws -> SourcePollResult {
        let limit = config.iterations > 0 ? UInt64(config.iterations) : UInt64.max
        let keyLength = config.keyCardinality > 0 ? DatagenRecordLayout.keyLength : -1
        var text: [UInt8] = []
        text.reserveCapacity(config.recordSize + 64)
        return try keyDigits.withUnsafeMutableBytes { digits in
            while sequence < limit {
                text.removeAll(keepingCapacity: true)
                text.append(contentsOf: #"{"task":"#.utf8)
                ASCIIDecimal.append(UInt64(taskID), to: &text)
                text.append(contentsOf: #","seq":"#.utf8)
                ASCIIDecimal.append(sequence, to: &text)
                text.append(contentsOf: #","payload":""#.utf8)
                let room = Swift.max(0, config.recordSize - text.count - 2)
                let start = Int(sequence % UInt64(filler.count - room - 1 > 0 ? filler.count - room - 1 : 1))
                text.append(contentsOf: filler[start..<(start + Swift.min(room, filler.count - start))])
                text.append(contentsOf: #""}"#.utf8)
                let appended = try text.withUnsafeBytes { value in
                    try batch.append(keyLength: keyLength, valueLength: value.count) { key, region in
                        if keyLength > 0 { key.copyMemory(from: UnsafeRawBufferPointer(digits)) }
                        region.copyMemory(from: value)
                    }
                }
                if !appended { return .batchFull }
                sequence &+= 1
                if keyLength > 0 { advanceKey(digits) }
            }
            return .endOfData
        }
    }

    /// Steps the zero-padded decimal key by one, wrapping at the cardinality.
    @inline(__always)
    private func advanceKey(_ digits: UnsafeMutableRawBufferPointer) {
        keyValue += 1
        if keyValue == config.keyCardinality {
            keyValue = 0
            for i in 0..<digits.count { digits[i] = UInt8(ascii: "0") }
            return
        }
        var i = digits.count - 1
        while i >= 0 {
            if digits[i] == UInt8(ascii: "9") {
                digits[i] = UInt8(ascii: "0")
                i -= 1
            } else {
                digits[i] += 1
                return
            }
        }
    }
}
