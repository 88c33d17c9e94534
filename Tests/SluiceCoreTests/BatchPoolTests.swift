import Atomics
import SluiceCore
import Testing

@Suite("BatchPool", .serialized)
struct BatchPoolTests {
    @Test("an exhausted pool blocks the owner until a batch is released, then resumes")
    func exhaustionBlocksAndResumes() throws {
        let pool = BatchPool(batchCount: 2, arenaBytes: 128, maxRecords: 4)
        let first = try #require(pool.tryAcquire())
        let second = try #require(pool.tryAcquire())
        #expect(pool.tryAcquire() == nil)

        let released = ManagedAtomic<Bool>(false)
        let releaser = try PinnedThread(name: "releaser") {
            usleep(200_000)
            released.store(true, ordering: .releasing)
            pool.release(first)
        }
        var idle = IdleStrategy.backoff()
        var waits = 0
        let batch = pool.acquire(idle: &idle) {
            waits += 1
            return true
        }
        let wasReleased = released.load(ordering: .acquiring)
        #expect(wasReleased, "acquire returned before any batch was released")
        #expect(batch === first)
        #expect(waits > 0)
        releaser.join()
        pool.release(second)
        pool.release(batch!)
        #expect(pool.freeCount == 2)
    }

    @Test("a waiting acquire gives up when told to")
    func gaveUp() throws {
        let pool = BatchPool(batchCount: 1, arenaBytes: 64, maxRecords: 1)
        _ = pool.tryAcquire()
        var idle = IdleStrategy(.yield)
        var calls = 0
        let batch = pool.acquire(idle: &idle) {
            calls += 1
            return calls < 3
        }
        #expect(batch == nil)
        #expect(calls == 3)
    }

    @Test("acquired batches come back empty")
    func resetOnAcquire() throws {
        let pool = BatchPool(batchCount: 1, arenaBytes: 64, maxRecords: 4)
        let batch = try #require(pool.tryAcquire())
        _ = try batch.append(keyLength: 0, valueLength: 8) { _, _ in }
        pool.release(batch)
        let again = try #require(pool.tryAcquire())
        #expect(again.isEmpty)
    }
}

#if canImport(Glibc)
import Glibc
#endif
