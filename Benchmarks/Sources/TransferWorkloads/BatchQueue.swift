import SluiceCore

/// A queue that moves items in chunks: what the batched transfer loops need.
///
/// ``SluiceCore/SPSCRing`` meets it with its own batch calls, and so does every
/// ``LockedQueue``, so one generic loop drives both and only the queue differs.
protocol BatchQueue<Element>: AnyObject, Sendable {
    associatedtype Element
    /// Appends as many of `elements` as fit, with one publication (or one lock).
    /// - Returns: how many were appended (a prefix of `elements`).
    func push<C: Collection>(contentsOf elements: C) -> Int where C.Element == Element
    /// Removes up to `maxCount` elements in order, handing each to `body`.
    /// - Returns: how many were removed.
    func popBatch(max maxCount: Int, _ body: (Element) throws -> Void) rethrows -> Int
}

extension SPSCRing: BatchQueue {}
