import SluiceCore

/// Turns batch completions, which can arrive out of order across partitions, into
/// commits in batch order, and then gives each batch back.
///
/// Used on the thread that serves a producer's delivery reports. A batch that
/// completes early is held (it cannot be reused yet, which the bounded pool turns
/// into backpressure) until every earlier batch has completed.
final class OrderedBatchCommitter {
    private var nextSequence: UInt64 = 0
    private var held: [UInt64: RecordBatch] = [:]
    private let commit: (RecordBatch) -> Void

    /// - Parameter commit: called in batch order with each completed batch.
    init(commit: @escaping (RecordBatch) -> Void) {
        self.commit = commit
    }

    /// Batches completed but waiting for an earlier one.
    var heldCount: Int { held.count }

    /// Records that `batch` has every record reported.
    func completed(_ batch: RecordBatch) {
        guard batch.batchSequence == nextSequence else {
            held[batch.batchSequence] = batch
            return
        }
        commit(batch)
        nextSequence &+= 1
        while let next = held.removeValue(forKey: nextSequence) {
            commit(next)
            nextSequence &+= 1
        }
    }
}
