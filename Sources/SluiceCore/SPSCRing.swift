import Atomics

/// A bounded, lock-free ring that moves elements from exactly one producer thread
/// to exactly one consumer thread.
///
/// - The capacity is rounded up to a power of two so that a slot is `index & mask`.
/// - `tail` (written by the producer) and `head` (written by the consumer) live on
///   separate 128-byte lines, and each side keeps a cached copy of the other's index
///   on a line of its own, so the shared lines are only read when the cached copy
///   says the ring looks full (producer) or empty (consumer).
/// - Publication uses release stores and the other side reads with acquire loads:
///   an element written before `tail` is published is fully visible to the consumer
///   that observes the new `tail`, and a slot freed before `head` is published may be
///   reused by the producer that observes it.
/// - The batch calls (`push(contentsOf:)`, `popBatch(max:_:)`) publish one index
///   store for many elements.
///
/// Thread-safety rule (why this type is `@unchecked Sendable` when its elements are
/// `Sendable`): at any moment at most
/// one thread calls the producer side (`tryPush`, `push(contentsOf:)`) and at most one
/// thread calls the consumer side (`tryPop`, `popBatch`). Which threads those are may
/// change only across a synchronising hand-off (for example a thread join).
///
/// ```swift
/// let ring = SPSCRing<Int>(capacity: 1024)
/// _ = ring.tryPush(42)          // producer thread
/// let value = ring.tryPop()     // consumer thread
/// ```
public final class SPSCRing<Element> {
    /// The number of elements the ring holds when full (a power of two).
    public let capacity: Int
    @usableFromInline let mask: Int
    /// Slots; only those in `head..<tail` are initialised.
    @usableFromInline let slots: UnsafeMutablePointer<Element>
    /// Four padded lines: tail | producer-local | head | consumer-local.
    @usableFromInline let control: UnsafeMutableRawPointer
    @usableFromInline let tail: UnsafeAtomic<Int>
    @usableFromInline let head: UnsafeAtomic<Int>
    /// Producer-local: [0] = the producer's own tail, [1] = cached head.
    @usableFromInline let producerLocal: UnsafeMutablePointer<Int>
    /// Consumer-local: [0] = the consumer's own head, [1] = cached tail.
    @usableFromInline let consumerLocal: UnsafeMutablePointer<Int>

    /// Creates an empty ring that holds at least `minimumCapacity` elements.
    public init(capacity minimumCapacity: Int) {
        precondition(minimumCapacity > 0, "SPSCRing capacity must be positive")
        var size = 1
        while size < minimumCapacity { size <<= 1 }
        capacity = size
        mask = size - 1
        slots = .allocate(capacity: size)
        let line = CacheLine.padding
        control = .allocate(byteCount: 4 * line, alignment: line)
        control.initializeMemory(as: UInt8.self, repeating: 0, count: 4 * line)
        let tailStorage = control.bindMemory(to: UnsafeAtomic<Int>.Storage.self, capacity: 1)
        tailStorage.initialize(to: .init(0))
        let headStorage = (control + 2 * line).bindMemory(to: UnsafeAtomic<Int>.Storage.self, capacity: 1)
        headStorage.initialize(to: .init(0))
        tail = UnsafeAtomic(at: tailStorage)
        head = UnsafeAtomic(at: headStorage)
        producerLocal = (control + line).bindMemory(to: Int.self, capacity: 2)
        consumerLocal = (control + 3 * line).bindMemory(to: Int.self, capacity: 2)
    }

    deinit {
        let from = head.load(ordering: .acquiring)
        let to = tail.load(ordering: .acquiring)
        var index = from
        while index != to {
            (slots + (index & mask)).deinitialize(count: 1)
            index &+= 1
        }
        slots.deallocate()
        control.deallocate()
    }

    /// An approximate number of queued elements, for metrics; exact only when both
    /// sides are quiescent.
    public var approximateCount: Int {
        tail.load(ordering: .relaxed) &- head.load(ordering: .relaxed)
    }

    // MARK: producer side

    /// Appends `element` unless the ring is full. Producer thread only.
    /// - Returns: `false` when the ring was full and nothing was written.
    @inlinable
    public func tryPush(_ element: Element) -> Bool {
        let t = producerLocal[0]
        if t &- producerLocal[1] == capacity {
            // Acquire pairs with the consumer's release of `head`: the slot it freed is
            // no longer read once we see the new value.
            producerLocal[1] = head.load(ordering: .acquiring)
            if t &- producerLocal[1] == capacity { return false }
        }
        (slots + (t & mask)).initialize(to: element)
        producerLocal[0] = t &+ 1
        tail.store(t &+ 1, ordering: .releasing)
        return true
    }

    /// Appends as many elements of `elements` as fit, in order, with one publication.
    /// Producer thread only.
    /// - Returns: how many elements were written (a prefix of `elements`).
    @inlinable
    @discardableResult
    public func push<C: Collection>(contentsOf elements: C) -> Int where C.Element == Element {
        let t = producerLocal[0]
        var free = capacity &- (t &- producerLocal[1])
        if free < elements.count {
            producerLocal[1] = head.load(ordering: .acquiring)
            free = capacity &- (t &- producerLocal[1])
        }
        var written = 0
        for element in elements {
            if written == free { break }
            (slots + ((t &+ written) & mask)).initialize(to: element)
            written &+= 1
        }
        if written > 0 {
            producerLocal[0] = t &+ written
            tail.store(t &+ written, ordering: .releasing)
        }
        return written
    }

    // MARK: consumer side

    /// Removes the oldest element, or returns `nil` when the ring is empty.
    /// Consumer thread only.
    @inlinable
    public func tryPop() -> Element? {
        let h = consumerLocal[0]
        if h == consumerLocal[1] {
            // Acquire pairs with the producer's release of `tail`: the element is
            // fully initialised once we see the index that covers it.
            consumerLocal[1] = tail.load(ordering: .acquiring)
            if h == consumerLocal[1] { return nil }
        }
        let element = (slots + (h & mask)).move()
        consumerLocal[0] = h &+ 1
        head.store(h &+ 1, ordering: .releasing)
        return element
    }

    /// Removes up to `maxCount` elements in order, handing each to `body`, and frees
    /// their slots with one publication. Consumer thread only.
    /// - Returns: how many elements were removed.
    @inlinable
    @discardableResult
    public func popBatch(max maxCount: Int, _ body: (Element) throws -> Void) rethrows -> Int {
        let h = consumerLocal[0]
        var available = consumerLocal[1] &- h
        if available == 0 {
            consumerLocal[1] = tail.load(ordering: .acquiring)
            available = consumerLocal[1] &- h
            if available == 0 { return 0 }
        }
        let n = Swift.min(available, maxCount)
        var taken = 0
        defer {
            if taken > 0 {
                consumerLocal[0] = h &+ taken
                head.store(h &+ taken, ordering: .releasing)
            }
        }
        while taken < n {
            let element = (slots + ((h &+ taken) & mask)).move()
            taken &+= 1
            try body(element)
        }
        return taken
    }
}

extension SPSCRing: @unchecked Sendable where Element: Sendable {}
