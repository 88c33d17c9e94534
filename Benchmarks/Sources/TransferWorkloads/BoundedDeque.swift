/// A fixed-capacity FIFO over one buffer, with no synchronisation of its own: the
/// storage behind the lock-protected baseline queues.
///
/// It is the same shape as ``SluiceCore/SPSCRing`` (power-of-two capacity, slot is
/// `index & mask`, monotonic head and tail) so that a comparison between the two
/// measures the synchronisation, not the data structure.
///
/// Memory rule: the deque owns `buffer`; only the slots in `head..<tail` are
/// initialised, and `deinit` deinitialises those and frees the buffer. It is
/// noncopyable so that exactly one owner (a lock, in this package) can touch it.
struct BoundedDeque<Element>: ~Copyable {
    private let buffer: UnsafeMutablePointer<Element>
    private let mask: Int
    /// Index of the oldest element (monotonic; the slot is `head & mask`).
    private var head = 0
    /// One past the newest element (monotonic).
    private var tail = 0

    /// Creates an empty deque holding at least `minimumCapacity` elements.
    init(capacity minimumCapacity: Int) {
        precondition(minimumCapacity > 0, "BoundedDeque capacity must be positive")
        var size = 1
        while size < minimumCapacity { size <<= 1 }
        buffer = .allocate(capacity: size)
        mask = size - 1
    }

    deinit {
        var index = head
        while index != tail {
            (buffer + (index & mask)).deinitialize(count: 1)
            index &+= 1
        }
        buffer.deallocate()
    }

    /// Elements the deque holds when full.
    var capacity: Int { mask &+ 1 }

    /// Appends `element` unless the deque is full.
    mutating func append(_ element: Element) -> Bool {
        if tail &- head == capacity { return false }
        (buffer + (tail & mask)).initialize(to: element)
        tail &+= 1
        return true
    }

    /// Appends as many elements of `elements` as fit, in order.
    /// - Returns: how many were appended (a prefix of `elements`).
    mutating func append<C: Collection>(contentsOf elements: C) -> Int where C.Element == Element {
        let free = capacity &- (tail &- head)
        var written = 0
        for element in elements {
            if written == free { break }
            (buffer + ((tail &+ written) & mask)).initialize(to: element)
            written &+= 1
        }
        tail &+= written
        return written
    }

    /// Removes the oldest element, or returns `nil` when empty.
    mutating func popFirst() -> Element? {
        if head == tail { return nil }
        let element = (buffer + (head & mask)).move()
        head &+= 1
        return element
    }

    /// Removes up to `maxCount` elements in order, handing each to `body`.
    /// - Returns: how many were removed.
    mutating func popFirst(max maxCount: Int, _ body: (Element) throws -> Void) rethrows -> Int {
        let n = Swift.min(tail &- head, maxCount)
        var taken = 0
        // Slots already moved out must leave the deque even if `body` throws.
        defer { head &+= taken }
        while taken < n {
            let element = (buffer + ((head &+ taken) & mask)).move()
            taken &+= 1
            try body(element)
        }
        return n
    }
}

// A deque may move to another thread (into a `Mutex`, say) when its elements may:
// it is noncopyable and `buffer` never leaves it, so whoever holds the deque is the
// only one who can reach the elements.
extension BoundedDeque: @unchecked Sendable where Element: Sendable {}
