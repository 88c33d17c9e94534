import SluiceCore

/// A queue that moves one item per call: what the per-item transfer loops need.
///
/// ``SluiceCore/SPSCRing`` meets it with `tryPush`/`tryPop`, and so does every
/// ``LockedQueue`` (one lock per call: the baseline).
protocol ItemQueue<Element>: AnyObject, Sendable {
    associatedtype Element
    /// Appends `element` unless the queue is full.
    func tryPush(_ element: Element) -> Bool
    /// Removes the oldest element, or returns `nil` when empty.
    func tryPop() -> Element?
}

extension SPSCRing: ItemQueue {}
