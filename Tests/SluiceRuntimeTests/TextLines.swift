import SluiceCore
import SluiceRuntime

/// What the tests' text sources share: lines "`prefix` 0", "`prefix` 1", ... written
/// into a batch, each batch's source offset the number of the next line.
enum TextLines {
    /// Writes lines `next..<total` into `batch` until it is full, advancing `next`.
    static func fill(_ batch: RecordBatch, next: inout Int, total: Int, prefix: String = "line") throws -> SourcePollResult {
        while next < total {
            let bytes = Array("\(prefix) \(next)".utf8)
            guard try batch.append(keyLength: -1, valueLength: bytes.count, fill: { _, v in v.copyBytes(from: bytes) }) else {
                return .batchFull
            }
            next += 1
            batch.sourcePartition = 0
            batch.sourceOffset = Int64(next)
        }
        return .endOfData
    }
}
