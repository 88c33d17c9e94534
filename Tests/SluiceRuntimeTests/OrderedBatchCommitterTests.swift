@testable import SluiceRuntime
import SluiceCore
import Testing

@Suite("OrderedBatchCommitter")
struct OrderedBatchCommitterTests {
    @Test("completions out of order are committed in batch order")
    func reorders() {
        var order: [UInt64] = []
        let committer = OrderedBatchCommitter { order.append($0.batchSequence) }
        let batches = (0..<5).map { i -> RecordBatch in
            let b = RecordBatch(arenaBytes: 8, maxRecords: 1)
            b.batchSequence = UInt64(i)
            return b
        }
        committer.completed(batches[1])
        committer.completed(batches[2])
        #expect(order.isEmpty)
        #expect(committer.heldCount == 2)
        committer.completed(batches[0])
        #expect(order == [0, 1, 2])
        committer.completed(batches[4])
        committer.completed(batches[3])
        #expect(order == [0, 1, 2, 3, 4])
        #expect(committer.heldCount == 0)
    }

    @Test("a batch with a failed delivery stops the commits, but every batch is still released")
    func stopsAtFailure() {
        var committed: [UInt64] = []
        var released: [UInt64] = []
        let committer = OrderedBatchCommitter(
            commit: { committed.append($0.batchSequence) }, release: { released.append($0.batchSequence) })
        let batches = (0..<4).map { i -> RecordBatch in
            let b = RecordBatch(arenaBytes: 8, maxRecords: 1)
            b.batchSequence = UInt64(i)
            return b
        }
        batches[1].failedDeliveries = 1
        committer.completed(batches[2])
        committer.completed(batches[0])
        committer.completed(batches[1])
        committer.completed(batches[3])
        #expect(committed == [0])
        #expect(released == [0, 1, 2, 3])
        #expect(committer.stopped)
    }
}
