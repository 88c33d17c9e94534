/// The queue a two-thread transfer goes through and how each side calls it.
public enum TransferRoute: Sendable, Hashable, CustomStringConvertible {
    /// The lock a baseline queue takes.
    public enum Lock: String, Sendable, Hashable {
        /// `Synchronization.Mutex` from the standard library.
        case mutex
        /// A default `pthread_mutex_t`.
        case pthreadMutex = "pthread-mutex"
    }

    /// ``SluiceCore/SPSCRing``: the producer publishes chunks of `chunk` items with
    /// `push(contentsOf:)`, the consumer takes up to `chunk` with `popBatch(max:_:)`.
    case spscRingBatched(chunk: Int)
    /// ``SluiceCore/SPSCRing`` one item per `tryPush` and per `tryPop`: not a target,
    /// it separates what the ring gains from batching from what it gains from
    /// having no lock.
    case spscRingPerItem
    /// The baseline: a lock-protected queue locked once per item pushed and once per
    /// item popped.
    case lockedPerItem(Lock)
    /// A lock-protected queue locked once per chunk of `chunk` items on each side.
    /// Not the baseline: it shows how much of the ring's lead is batching alone.
    case lockedBatched(Lock, chunk: Int)

    /// A name without spaces, usable as a benchmark name (package-benchmark's
    /// threshold files are named after benchmarks, and only some of its commands
    /// turn spaces into underscores).
    public var description: String {
        switch self {
        case let .spscRingBatched(chunk): return "spsc-ring-batch-\(chunk)"
        case .spscRingPerItem: return "spsc-ring-per-item"
        case let .lockedPerItem(lock): return "\(lock.rawValue)-queue-lock-per-item"
        case let .lockedBatched(lock, chunk): return "\(lock.rawValue)-queue-lock-per-\(chunk)-items"
        }
    }
}
