import Atomics

/// Counters one pipeline thread updates and any thread may read (progress, metrics).
///
/// Each counter has exactly one writer (the thread that owns the stage), which
/// updates it once per batch with a relaxed load and store, not a read-modify-write:
/// no other thread writes, so no update is lost, and readers only need a recent
/// value, not ordering with other memory.
public final class StageCounters: Sendable {
    /// Records written by the stage.
    public let records = ManagedAtomic<Int>(0)
    /// Batches the stage handed on.
    public let batches = ManagedAtomic<Int>(0)
    /// Nanoseconds spent doing the stage's work.
    public let busyNanos = ManagedAtomic<UInt64>(0)
    /// Nanoseconds spent waiting for a free batch or ring slot (backpressure).
    public let waitNanos = ManagedAtomic<UInt64>(0)

    /// Creates zeroed counters.
    public init() {}

    /// Adds to a counter from its single writer thread.
    @inlinable
    public static func add(_ amount: Int, to counter: ManagedAtomic<Int>) {
        counter.store(counter.load(ordering: .relaxed) &+ amount, ordering: .relaxed)
    }

    /// Adds to a counter from its single writer thread.
    @inlinable
    public static func add(_ amount: UInt64, to counter: ManagedAtomic<UInt64>) {
        counter.store(counter.load(ordering: .relaxed) &+ amount, ordering: .relaxed)
    }
}
