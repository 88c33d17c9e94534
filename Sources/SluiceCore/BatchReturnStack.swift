import Atomics

/// The return path for batches: any number of threads push, one thread takes all.
///
/// An intrusive Treiber stack over ``RecordBatch/nextReturned``. Pushers link the
/// batch in front of the current head with a compare-and-exchange; the single
/// consumer takes the whole list with one exchange. Because the consumer never pops
/// single nodes, the classic ABA hazard of Treiber stacks cannot occur.
///
/// Memory rule: a pushed batch is retained by the stack (one `Unmanaged` retain) until
/// ``takeAll()`` hands it back; the push's release ordering publishes everything the
/// pusher wrote to the batch to the consumer's acquiring exchange.
///
/// Thread-safety (why `@unchecked Sendable`): `push` from any thread; `takeAll` from
/// one thread at a time.
public final class BatchReturnStack: @unchecked Sendable {
    private let head = ManagedAtomic<Unmanaged<RecordBatch>?>(nil)

    /// Creates an empty stack.
    public init() {}

    deinit {
        _ = takeAll()
    }

    /// Pushes `batch`. Any thread.
    public func push(_ batch: RecordBatch) {
        let node = Unmanaged.passRetained(batch)
        var current = head.load(ordering: .relaxed)
        while true {
            batch.nextReturned = current
            let (exchanged, original) = head.weakCompareExchange(
                expected: current, desired: node,
                successOrdering: .releasing, failureOrdering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// Removes every pushed batch. One consumer thread at a time.
    public func takeAll() -> [RecordBatch] {
        guard var node = head.exchange(nil, ordering: .acquiring) else { return [] }
        var result: [RecordBatch] = []
        while true {
            let batch = node.takeRetainedValue()
            let next = batch.nextReturned
            batch.nextReturned = nil
            result.append(batch)
            guard let following = next else { break }
            node = following
        }
        return result
    }

    /// Moves every pushed batch onto `stack` without allocating when it has capacity.
    /// One consumer thread at a time.
    /// - Returns: how many batches were moved.
    @discardableResult
    public func takeAll(into stack: inout [RecordBatch]) -> Int {
        guard var node = head.exchange(nil, ordering: .acquiring) else { return 0 }
        var moved = 0
        while true {
            let batch = node.takeRetainedValue()
            let next = batch.nextReturned
            batch.nextReturned = nil
            stack.append(batch)
            moved += 1
            guard let following = next else { break }
            node = following
        }
        return moved
    }

    /// Whether nothing is pushed (a snapshot).
    public var isEmpty: Bool { head.load(ordering: .relaxed) == nil }
}
