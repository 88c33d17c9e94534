import SluiceCore

/// Turns batch completions, which can arrive out of order across partitions, into
/// commits in batch order, and then gives each batch back.
///
/// Used on the thread that serves a producer's delivery reports. A batch that
/// completes early is held (it cannot be reused yet, which the bounded pool turns
/// into backpressure) until every earlier batch has completed. The first batch with
/// a failed delivery stops the commits: neither it nor any later batch is committed,
/// since committing later offsets would skip the records that were not delivered.
final class OrderedBatchCommitter {
    private var nextSequence: UInt64 = 0
    private var held: [UInt64: RecordBatch] = [:]
    private let commit: (RecordBatch) -> Void
    private let release: (RecordBatch) -> Void
    /// Whether a failed batch has stopped the commits.
    private(set) var stopped = false

    /// - Parameters:
    ///   - commit: called in batch order with each completed, fully delivered batch.
    ///   - release: called with every batch once it is done with (after `commit`, if any).
    init(commit: @escaping (RecordBatch) -> Void, release: @escaping (RecordBatch) -> Void = { _ in }) {
        self.commit = commit
        self.release = release
    }

    private func settle(_ batch: RecordBatch) {
        if batch.failedDeliveries > 0 { stopped = true }
        if !stopped { commit(batch) }
        release(batch)
    }

    /// Batches completed but waiting for an earlier one.
    var heldCount: Int { held.count }

    /// Records that `batch` has every record reported.
    func completed(_ batch: RecordBatch) {
        guard batch.batchSequence == nextSequence else {
            held[batch.batchSequence] = batch
            return
        }
        settle(batch)
        nextSequence &+= 1
        while let next = held.removeValue(forKey: nextSequence) {
            settle(next)
            nextSequence &+= 1
        }
    }
}
