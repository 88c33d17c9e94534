/// A bounded FIFO that any thread may use, made safe by one lock around a
/// ``BoundedDeque``: the baseline that ``SluiceCore/SPSCRing`` is measured against.
///
/// Every call takes the lock once. The per-item calls of ``ItemQueue`` (`tryPush`,
/// `tryPop`) are the fair "mutex queue" baseline: one lock per item on each side.
/// The batch calls of ``BatchQueue`` (`push(contentsOf:)`, `popBatch(max:_:)`)
/// take it once per chunk, the amortisation the ring's batch calls get from one
/// index store; they run `body` inside the lock, so it must be short.
protocol LockedQueue<Element>: ItemQueue, BatchQueue {}
