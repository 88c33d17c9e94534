import SluiceCore
import Testing

@Suite("BatchReturnStack", .serialized)
struct BatchReturnStackTests {
    @Test("pushes from many threads are all taken exactly once")
    func concurrentPushes() throws {
        let stack = BatchReturnStack()
        let perThread = 2_000
        let batches = (0..<(4 * perThread)).map { _ in RecordBatch(arenaBytes: 8, maxRecords: 1) }
        var threads: [PinnedThread] = []
        for t in 0..<4 {
            let slice = Array(batches[(t * perThread)..<((t + 1) * perThread)])
            threads.append(try PinnedThread(name: "pusher-\(t)") { for batch in slice { stack.push(batch) } })
        }
        var taken: [RecordBatch] = []
        while taken.count < batches.count {
            stack.takeAll(into: &taken)
        }
        for thread in threads { thread.join() }
        #expect(stack.takeAll().isEmpty)
        #expect(Set(taken.map(ObjectIdentifier.init)) == Set(batches.map(ObjectIdentifier.init)))
        #expect(taken.count == batches.count)
    }
}
