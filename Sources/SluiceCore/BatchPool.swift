/// A fixed set of ``RecordBatch``es that one task cycles through.
///
/// The pool never grows: when every batch is in flight, ``acquire(idle:whileWaiting:)``
/// waits until a delivery returns one. That wait is Sluice's backpressure, and it is
/// what bounds a task's memory to `batchCount × (arenaBytes + index)`.
///
/// Thread-safety rule (why `@unchecked Sendable`): one owner thread acquires
/// batches (`tryAcquire`, `acquire`); any thread may ``release(_:)`` a batch (the
/// delivery path does, through a lock-free ``BatchReturnStack``).
///
/// ```swift
/// let pool = BatchPool(batchCount: 8, arenaBytes: 1 << 20, maxRecords: 8192)
/// var idle = IdleStrategy.backoff()
/// if let batch = pool.acquire(idle: &idle, whileWaiting: { producer.poll(); return running }) { ... }
/// ```
public final class BatchPool: @unchecked Sendable {
    /// Batches the pool owns.
    public let batchCount: Int
    /// Arena size of every batch.
    public let arenaBytes: Int
    /// Index size of every batch.
    public let maxRecords: Int

    /// Every batch, kept alive for the pool's life (delivery reports point into them).
    private let all: [RecordBatch]
    /// Free batches, touched only by the owner thread.
    private var free: [RecordBatch]
    private let returned = BatchReturnStack()

    /// Creates `batchCount` batches of `arenaBytes` each, with `maxRecords` entries.
    public init(batchCount: Int, arenaBytes: Int, maxRecords: Int) {
        precondition(batchCount > 0, "a BatchPool needs at least one batch")
        self.batchCount = batchCount
        self.arenaBytes = arenaBytes
        self.maxRecords = maxRecords
        all = (0..<batchCount).map { _ in RecordBatch(arenaBytes: arenaBytes, maxRecords: maxRecords) }
        free = all
        free.reserveCapacity(batchCount)
    }

    /// Bytes the pool holds (arenas and indexes).
    public var footprintBytes: Int {
        batchCount * (arenaBytes + maxRecords * MemoryLayout<RecordEntry>.stride)
    }

    /// A free batch, emptied, or `nil` when all are in flight. Owner thread only.
    public func tryAcquire() -> RecordBatch? {
        if free.isEmpty { returned.takeAll(into: &free) }
        guard let batch = free.popLast() else { return nil }
        batch.reset()
        return batch
    }

    /// Waits for a free batch. Owner thread only.
    ///
    /// While no batch is free it calls `whileWaiting` (for example to serve delivery
    /// reports, which is what frees batches) and then idles; it gives up and returns
    /// `nil` as soon as `whileWaiting` returns `false`.
    public func acquire(idle: inout IdleStrategy, whileWaiting: () -> Bool) -> RecordBatch? {
        while true {
            if let batch = tryAcquire() {
                idle.reset()
                return batch
            }
            if !whileWaiting() { return nil }
            idle.idle()
        }
    }

    /// Gives a batch back. Any thread.
    public func release(_ batch: RecordBatch) {
        returned.push(batch)
    }

    /// Whether `batch` is one of this pool's (any thread).
    public func owns(_ batch: RecordBatch) -> Bool {
        all.contains { $0 === batch }
    }

    /// Batches currently free (a snapshot, owner thread only).
    public var freeCount: Int {
        returned.takeAll(into: &free)
        return free.count
    }
}
