#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a thread waits when it has no work: spin, yield, or back off into timed parks.
///
/// Modelled on Agrona's `IdleStrategy` family. Call ``idle()`` each time a poll finds
/// nothing and ``reset()`` once it finds work again; a back-off strategy spins first
/// (lowest latency), then yields the CPU, then parks for exponentially longer times
/// up to a bound (lowest CPU use).
///
/// ```swift
/// var idle = IdleStrategy.backoff()
/// while running {
///     if let item = ring.tryPop() { handle(item); idle.reset() } else { idle.idle() }
/// }
/// ```
public struct IdleStrategy: Sendable, CustomStringConvertible {
    /// The waiting policy.
    public enum Kind: Sendable, Equatable {
        /// Burn the CPU: lowest latency, one core per waiting thread.
        case busySpin
        /// `sched_yield()` every time.
        case yield
        /// Sleep a fixed number of nanoseconds every time.
        case park(nanoseconds: Int)
        /// Spin, then yield, then park with doubling sleeps up to a bound.
        case backoff(maxSpins: Int, maxYields: Int, minParkNanoseconds: Int, maxParkNanoseconds: Int)
    }

    /// The policy.
    public let kind: Kind
    private var spins = 0
    private var yields = 0
    private var parkNanoseconds = 0

    /// Creates a strategy of the given kind.
    public init(_ kind: Kind) {
        self.kind = kind
        reset()
    }

    /// Back-off with Agrona-like defaults: 100 spins, 10 yields, parks of 1 µs to 1 ms.
    public static func backoff(
        maxSpins: Int = 100, maxYields: Int = 10,
        minParkNanoseconds: Int = 1_000, maxParkNanoseconds: Int = 1_000_000
    ) -> IdleStrategy {
        IdleStrategy(.backoff(
            maxSpins: maxSpins, maxYields: maxYields,
            minParkNanoseconds: minParkNanoseconds, maxParkNanoseconds: maxParkNanoseconds))
    }

    /// Parses `spin`, `yield`, `park` (1 ms) or `backoff`.
    public init?(name: String) {
        switch name {
        case "spin", "busy-spin": self.init(.busySpin)
        case "yield": self.init(.yield)
        case "park": self.init(.park(nanoseconds: 1_000_000))
        case "backoff": self = .backoff()
        default: return nil
        }
    }

    public var description: String {
        switch kind {
        case .busySpin: return "spin"
        case .yield: return "yield"
        case .park: return "park"
        case .backoff: return "backoff"
        }
    }

    /// Forgets past idling: the next ``idle()`` starts the back-off from the beginning.
    @inlinable
    public mutating func reset() {
        resetState()
    }

    @usableFromInline
    mutating func resetState() {
        spins = 0
        yields = 0
        if case let .backoff(_, _, minPark, _) = kind { parkNanoseconds = minPark }
    }

    /// Waits once, according to the policy and how long the thread has been idle.
    public mutating func idle() {
        switch kind {
        case .busySpin:
            return
        case .yield:
            sched_yield()
        case let .park(nanoseconds):
            Self.sleep(nanoseconds: nanoseconds)
        case let .backoff(maxSpins, maxYields, _, maxPark):
            if spins < maxSpins {
                spins += 1
            } else if yields < maxYields {
                yields += 1
                sched_yield()
            } else {
                Self.sleep(nanoseconds: parkNanoseconds)
                parkNanoseconds = Swift.min(parkNanoseconds * 2, maxPark)
            }
        }
    }

    /// Idles when `workCount` is zero and resets otherwise (Agrona's `idle(int)`).
    @inlinable
    public mutating func idle(workCount: Int) {
        if workCount > 0 { reset() } else { idle() }
    }

    static func sleep(nanoseconds: Int) {
        var request = timespec(tv_sec: nanoseconds / 1_000_000_000, tv_nsec: nanoseconds % 1_000_000_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
