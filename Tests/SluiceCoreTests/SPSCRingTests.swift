import Atomics
import SluiceCore
import Testing

@Suite("SPSCRing", .serialized)
struct SPSCRingTests {
    @Test("capacity rounds up to a power of two and a full ring refuses")
    func capacityAndFull() {
        let ring = SPSCRing<Int>(capacity: 5)
        #expect(ring.capacity == 8)
        for i in 0..<8 { #expect(ring.tryPush(i)) }
        #expect(!ring.tryPush(99))
        #expect(ring.tryPop() == 0)
        #expect(ring.tryPush(8))
        var drained: [Int] = []
        while let value = ring.tryPop() { drained.append(value) }
        #expect(drained == Array(1...8))
        #expect(ring.tryPop() == nil)
    }

    @Test("push(contentsOf:) writes only the prefix that fits")
    func batchPushPrefix() {
        let ring = SPSCRing<Int>(capacity: 4)
        #expect(ring.push(contentsOf: [1, 2, 3]) == 3)
        #expect(ring.push(contentsOf: [4, 5, 6]) == 1)
        var seen: [Int] = []
        #expect(ring.popBatch(max: 10) { seen.append($0) } == 4)
        #expect(seen == [1, 2, 3, 4])
    }

    @Test("elements left in the ring are released with it")
    func deinitReleases() {
        final class Token { let counter: ManagedAtomic<Int>; init(_ c: ManagedAtomic<Int>) { counter = c }
            deinit { counter.wrappingIncrement(ordering: .relaxed) } }
        let released = ManagedAtomic<Int>(0)
        do {
            let ring = SPSCRing<Token>(capacity: 8)
            for _ in 0..<5 { _ = ring.tryPush(Token(released)) }
            _ = ring.tryPop()
        }
        let count = released.load(ordering: .relaxed)
        #expect(count == 5)
    }

    @Test("two threads, item by item: every item arrives once, in order")
    func concurrentSingle() throws {
        try moveItems(count: 2_000_000, batch: false)
    }

    @Test("two threads, batch mode: every item arrives once, in order")
    func concurrentBatch() throws {
        try moveItems(count: 5_000_000, batch: true)
    }

    private func moveItems(count: Int, batch: Bool) throws {
        let ring = SPSCRing<Int>(capacity: 1024)
        let producer = try PinnedThread(name: "ring-producer") {
            var next = 0
            var chunk = [Int](repeating: 0, count: 64)
            while next < count {
                if batch {
                    let n = Swift.min(64, count - next)
                    for i in 0..<n { chunk[i] = next + i }
                    next += ring.push(contentsOf: chunk[0..<n])
                } else if ring.tryPush(next) {
                    next += 1
                }
            }
        }
        var expected = 0
        var outOfOrder = 0
        while expected < count {
            if batch {
                ring.popBatch(max: 128) { value in
                    if value != expected { outOfOrder += 1 }
                    expected += 1
                }
            } else if let value = ring.tryPop() {
                if value != expected { outOfOrder += 1 }
                expected += 1
            }
        }
        producer.join()
        #expect(outOfOrder == 0)
        #expect(expected == count)
        #expect(ring.tryPop() == nil)
    }
}
