import Synchronization

/// A ``LockedQueue`` guarded by the standard library's `Synchronization.Mutex`
/// (a futex-based lock on Linux).
///
/// Thread safety: every access to the deque happens inside `withLock`, so the type
/// is `Sendable` without any unchecked claim; `Element: Sendable` because elements
/// cross threads.
final class MutexQueue<Element: Sendable>: LockedQueue {
    private let deque: Mutex<BoundedDeque<Element>>

    /// Creates an empty queue holding at least `capacity` elements.
    init(capacity: Int) {
        deque = Mutex(BoundedDeque(capacity: capacity))
    }

    func tryPush(_ element: Element) -> Bool {
        deque.withLock { $0.append(element) }
    }

    func tryPop() -> Element? {
        deque.withLock { $0.popFirst() }
    }

    func push<C: Collection>(contentsOf elements: C) -> Int where C.Element == Element {
        deque.withLock { $0.append(contentsOf: elements) }
    }

    func popBatch(max maxCount: Int, _ body: (Element) throws -> Void) rethrows -> Int {
        try deque.withLock { try $0.popFirst(max: maxCount, body) }
    }
}
