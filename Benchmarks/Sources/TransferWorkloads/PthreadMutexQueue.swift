#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A ``LockedQueue`` guarded by a default `pthread_mutex_t` (glibc's normal mutex:
/// an atomic fast path, then a futex wait; no adaptive spinning).
///
/// Memory rule: the mutex lives in its own heap allocation, because a pthread
/// mutex must never move or be copied; it is initialised in `init` and destroyed
/// and freed in `deinit`.
///
/// Thread safety (why `@unchecked Sendable`): `deque` is read and written only
/// between `pthread_mutex_lock` and `pthread_mutex_unlock` of `mutex`, which also
/// makes the dynamic exclusivity check on it redundant.
final class PthreadMutexQueue<Element: Sendable>: LockedQueue, @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @exclusivity(unchecked) private var deque: BoundedDeque<Element>

    /// Creates an empty queue holding at least `capacity` elements.
    init(capacity: Int) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed with errno \(status)")
        deque = BoundedDeque(capacity: capacity)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    func tryPush(_ element: Element) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return deque.append(element)
    }

    func tryPop() -> Element? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return deque.popFirst()
    }

    func push<C: Collection>(contentsOf elements: C) -> Int where C.Element == Element {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return deque.append(contentsOf: elements)
    }

    func popBatch(max maxCount: Int, _ body: (Element) throws -> Void) rethrows -> Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try deque.popFirst(max: maxCount, body)
    }
}
