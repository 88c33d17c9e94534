import SluiceCore
import Synchronization

/// Moves the integers `0..<items` from a producer thread to a consumer thread
/// through one ``TransferRoute`` and times it.
///
/// The two threads are ``SluiceCore/PinnedThread``s on different CPUs when the
/// process may use two or more. Both wait at a start gate; the producer reads the
/// clock when it passes the gate and the consumer when it has taken the last item,
/// so thread start-up is not in ``TransferResult/nanoseconds`` (a wall clock around
/// the whole `run()`, like package-benchmark's, does include it). The consumer
/// checks that every item arrives once and in order. Both sides busy-spin when the
/// queue is full or empty (by default), the same way for every route.
///
/// ```swift
/// let result = try TwoThreadTransfer(route: .spscRingBatched(chunk: 256), items: 10_000_000).run()
/// print(result.itemsPerSecond)
/// ```
public struct TwoThreadTransfer: Sendable {
    /// The queue and how it is called.
    public var route: TransferRoute
    /// Items moved.
    public var items: Int
    /// Slots in the queue (rounded up to a power of two).
    public var capacity: Int = 4096
    /// The producer's CPU, `nil` to let the scheduler choose.
    public var producerCPU: Int?
    /// The consumer's CPU, `nil` to let the scheduler choose.
    public var consumerCPU: Int?
    /// How a side waits when the queue is full (producer) or empty (consumer).
    public var idle = IdleStrategy(.busySpin)

    /// A transfer of `items` through `route`, with the producer and the consumer
    /// pinned to the first two CPUs this process may use (unpinned on one CPU).
    public init(route: TransferRoute, items: Int) {
        precondition(items > 0, "a transfer moves at least one item")
        self.route = route
        self.items = items
        let cpus = CPUSet.available()
        if cpus.cpus.count >= 2 {
            producerCPU = cpus.cpu(forThread: 0)
            consumerCPU = cpus.cpu(forThread: 1)
        }
    }

    /// Runs the transfer on two new threads and waits for both.
    /// - Throws: ``SluiceCore/CoreError`` when a thread cannot start or be pinned;
    ///   ``TransferError/itemsOutOfOrder(route:mismatches:items:)`` when the queue
    ///   did not deliver `0..<items` in order.
    public func run() throws -> TransferResult {
        let timing = TransferTiming()
        let (produce, consume) = sides()
        let consumer = try PinnedThread(name: "xfer-consumer", cpu: consumerCPU) {
            timing.arriveAndWait()
            let mismatches = consume()
            timing.end.store(MonotonicClock.nanoseconds(), ordering: .relaxed)
            timing.mismatches.store(mismatches, ordering: .relaxed)
        }
        let producer = try PinnedThread(name: "xfer-producer", cpu: producerCPU) {
            timing.arriveAndWait()
            timing.start.store(MonotonicClock.nanoseconds(), ordering: .relaxed)
            produce()
        }
        producer.join()
        consumer.join()
        // The joins order both threads' stores before these loads.
        let mismatches = timing.mismatches.load(ordering: .relaxed)
        if mismatches != 0 {
            throw TransferError.itemsOutOfOrder(route: route, mismatches: mismatches, items: items)
        }
        let elapsed = timing.end.load(ordering: .relaxed) &- timing.start.load(ordering: .relaxed)
        return TransferResult(route: route, items: items, nanoseconds: max(elapsed, 1))
    }

    /// The two threads' loops: the producer's, and the consumer's, which returns how
    /// many items it saw out of order. Each route gets its concrete queue type so the
    /// generic loops are specialised for it (no existential call per item).
    private func sides() -> Sides {
        switch route {
        case let .spscRingBatched(chunk):
            return batchedSides(SPSCRing<Int>(capacity: capacity), chunk: chunk)
        case .spscRingPerItem:
            return perItemSides(SPSCRing<Int>(capacity: capacity))
        case .lockedPerItem(.mutex):
            return perItemSides(MutexQueue<Int>(capacity: capacity))
        case .lockedPerItem(.pthreadMutex):
            return perItemSides(PthreadMutexQueue<Int>(capacity: capacity))
        case let .lockedBatched(.mutex, chunk):
            return batchedSides(MutexQueue<Int>(capacity: capacity), chunk: chunk)
        case let .lockedBatched(.pthreadMutex, chunk):
            return batchedSides(PthreadMutexQueue<Int>(capacity: capacity), chunk: chunk)
        }
    }

    private typealias Sides = (produce: @Sendable () -> Void, consume: @Sendable () -> Int)

    /// The producer pushes chunks of `0..<items` with one `push(contentsOf:)` each;
    /// the consumer takes up to `chunk` items per `popBatch`.
    private func batchedSides<Queue: BatchQueue<Int>>(_ queue: Queue, chunk: Int) -> Sides {
        precondition(chunk > 0, "a chunk holds at least one item")
        let items = items
        let idle = idle
        let produce: @Sendable () -> Void = {
            var idle = idle
            var next = 0
            while next < items {
                let written = queue.push(contentsOf: next..<Swift.min(next &+ chunk, items))
                if written > 0 {
                    next &+= written
                    idle.reset()
                } else {
                    idle.idle()
                }
            }
        }
        let consume: @Sendable () -> Int = {
            var idle = idle
            var expected = 0
            var mismatches = 0
            while expected < items {
                let taken = queue.popBatch(max: chunk) { value in
                    if value != expected { mismatches &+= 1 }
                    expected &+= 1
                }
                if taken > 0 { idle.reset() } else { idle.idle() }
            }
            return mismatches
        }
        return (produce, consume)
    }

    /// The producer pushes `0..<items` one `tryPush` at a time; the consumer takes
    /// them one `tryPop` at a time.
    private func perItemSides<Queue: ItemQueue<Int>>(_ queue: Queue) -> Sides {
        let items = items
        let idle = idle
        let produce: @Sendable () -> Void = {
            var idle = idle
            var next = 0
            while next < items {
                if queue.tryPush(next) {
                    next &+= 1
                    idle.reset()
                } else {
                    idle.idle()
                }
            }
        }
        let consume: @Sendable () -> Int = {
            var idle = idle
            var expected = 0
            var mismatches = 0
            while expected < items {
                if let value = queue.tryPop() {
                    if value != expected { mismatches &+= 1 }
                    expected &+= 1
                    idle.reset()
                } else {
                    idle.idle()
                }
            }
            return mismatches
        }
        return (produce, consume)
    }
}

/// The start gate and the clock readings the two threads of one transfer share.
private final class TransferTiming: Sendable {
    /// Threads that reached the gate.
    let arrived = Atomic<Int>(0)
    /// `MonotonicClock` when the producer passed the gate.
    let start = Atomic<UInt64>(0)
    /// `MonotonicClock` when the consumer took the last item.
    let end = Atomic<UInt64>(0)
    /// Items the consumer saw out of order.
    let mismatches = Atomic<Int>(0)

    /// Waits until both threads have arrived, so neither starts while the other is
    /// still being created.
    ///
    /// The wait backs off into short sleeps rather than spinning: the thread that
    /// creates the second side may share a CPU with the first, and a pinned spinner
    /// would hold that CPU for a scheduler slice (milliseconds) before the second
    /// thread even exists. The cost is a late wake-up of at most 20 µs, inside the
    /// timed window only when the consumer is the late one (then the queue simply
    /// starts full).
    func arriveAndWait() {
        // Relaxed is enough: the gate orders nothing but start times; the queue's own
        // synchronisation publishes the items.
        arrived.add(1, ordering: .relaxed)
        var idle = IdleStrategy.backoff(maxSpins: 100, maxYields: 10, minParkNanoseconds: 1_000, maxParkNanoseconds: 20_000)
        while arrived.load(ordering: .relaxed) < 2 { idle.idle() }
    }
}
