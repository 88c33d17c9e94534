/// A bounded FIFO that any thread may use, made safe by one lock around a
/// ``BoundedDeque``: the baseline that ``SluiceCore/SPSCRing`` is measured against.
///
/// Each call takes the lock once. The per-item calls (`tryPush`, `tryPop`) are the
/// fair "mutex queue" baseline: one lock per item on each side. The batch calls
/// (`push(contentsOf:)`, `popBatch(max:_:)`) take the lock once per chunk, the
/// same amortisation the ring's batch calls get from one index store.
protocol LockedQueue<Element>: BatchQueue {
    /// Appends `element` unless the queue is full.
    func tryPush(_ element: Element) -> Bool
    /// Removes the oldest element, or returns `nil` when empty.
    func tryPop() -> Element?
    // The batch calls of ``BatchQueue`` take the lock once per call and run
    // `body` inside it, so `body` must be short.
}
