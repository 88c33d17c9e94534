#if canImport(Glibc)
import Glibc
#endif
import SluiceCore

/// An error a task throws when trying again may succeed (Kafka Connect's
/// `RetriableException`): the runner retries the call under the connector's
/// ``RetryPolicy`` instead of failing the task. A `poll(into:)` that throws it must not
/// have written records into the batch that it will write again.
public struct RetriableError: Error, CustomStringConvertible {
    /// What went wrong.
    public var reason: String

    /// Creates a retriable error.
    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

/// Kafka Connect's `errors.retry.timeout` (ms; 0: no retries, -1: forever) and
/// `errors.retry.delay.max.ms` (the cap of the exponential backoff, starting at 300 ms
/// as in Kafka Connect), applied to calls that throw ``RetriableError``.
public struct RetryPolicy: Sendable {
    /// How long to keep retrying, in ms (0: never, -1: forever).
    public var timeoutMs: Int
    /// The longest wait between two tries, in ms.
    public var maxDelayMs: Int
    /// The first backoff.
    public var initialDelayMs = 300

    /// The policy of a connector's `errors.retry.*` settings.
    public init(errors: ErrorHandlingConfig) {
        timeoutMs = errors.retryTimeoutMs
        maxDelayMs = errors.retryDelayMaxMs
    }

    /// Reads the policy from a connector config.
    /// - Throws: ``RuntimeError/invalidConnectorConfig(connector:problems:)`` for bad `errors.*` settings.
    public init(config: [String: String]) throws {
        self.init(errors: try ErrorHandlingConfig(config: config, connector: config["name"] ?? ""))
    }

    /// Runs `body`, retrying it after a ``RetriableError`` with doubling delays until it
    /// succeeds, `keepTrying()` says stop, or the timeout passes (then the last error is thrown).
    /// - Parameter errors: where each failed attempt, retry and final failure is counted
    ///   (Kafka Connect's `total-record-failures`, `total-retries`, `total-record-errors`).
    /// - Returns: the result, and how many retries it took.
    public func run<T>(
        errors: TaskErrorCounters? = nil, keepTrying: () -> Bool = { true }, _ body: () throws -> T
    ) throws -> (value: T, retries: Int) {
        let start = MonotonicClock.nanoseconds()
        var delay = min(initialDelayMs, max(maxDelayMs, 1))
        var retries = 0
        while true {
            do {
                return (try body(), retries)
            } catch let error as RetriableError {
                errors?.recordFailedAttempt()
                let elapsedMs = Int((MonotonicClock.nanoseconds() - start) / 1_000_000)
                guard timeoutMs != 0, timeoutMs == -1 || elapsedMs + delay <= timeoutMs, keepTrying() else {
                    errors?.recordError()
                    throw error
                }
                usleep(useconds_t(delay) * 1000)
                retries += 1
                errors?.retries.wrappingIncrement(ordering: .relaxed)
                delay = min(delay * 2, max(maxDelayMs, 1))
            }
        }
    }
}
