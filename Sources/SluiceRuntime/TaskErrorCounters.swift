import Atomics
import Foundation

/// One task's error figures, as Kafka Connect's `task-error-metrics` group has them
/// (`/metrics` shows them as `kafka_connect_task_error_metrics_*{connector,task}`).
///
/// | Kafka Connect | counts |
/// | --- | --- |
/// | `total-record-failures` | failed attempts: a record's conversion or transform that threw, and every ``RetriableError`` a task call threw (retried or not) |
/// | `total-record-errors` | operations that ended failed: a record that could not be converted or transformed (skipped or not), a task call still failing when retries ran out |
/// | `total-records-skipped` | records skipped under `errors.tolerance=all` |
/// | `total-retries` | retries of a task call after a ``RetriableError`` |
/// | `total-errors-logged` | lines written under `errors.log.enable` |
/// | `deadletterqueue-produce-requests` | records sent to the dead-letter topic |
/// | `deadletterqueue-produce-failures` | of those, records Kafka did not take |
/// | `last-error-timestamp` | wall-clock ms of the latest failure, 0 before any |
///
/// Thread-safety: a source task's thread and its producer lane may both convert
/// records, so every counter is updated with a read-modify-write; all orderings are
/// relaxed, because readers (a scrape) want a recent value, not ordering with other
/// memory. Failures are rare, so these atomics are off the hot path.
public final class TaskErrorCounters: Sendable {
    /// `total-record-failures`.
    public let recordFailures = ManagedAtomic<Int>(0)
    /// `total-record-errors`.
    public let recordErrors = ManagedAtomic<Int>(0)
    /// `total-records-skipped`.
    public let recordsSkipped = ManagedAtomic<Int>(0)
    /// `total-retries`.
    public let retries = ManagedAtomic<Int>(0)
    /// `total-errors-logged`.
    public let errorsLogged = ManagedAtomic<Int>(0)
    /// `deadletterqueue-produce-requests`.
    public let deadLetterRequests = ManagedAtomic<Int>(0)
    /// `deadletterqueue-produce-failures`.
    public let deadLetterFailures = ManagedAtomic<Int>(0)
    /// `last-error-timestamp`: ms since the Unix epoch, 0 before the first failure.
    public let lastErrorTimestampMs = ManagedAtomic<Int64>(0)

    /// Zeroed counters.
    public init() {}

    /// A failed attempt that may still be retried (a ``RetriableError``).
    func recordFailedAttempt() {
        recordFailures.wrappingIncrement(ordering: .relaxed)
    }

    /// An operation that ended failed: the record or call is given up on (skipped, or
    /// the task fails). Stamps ``lastErrorTimestampMs``.
    func recordError() {
        recordErrors.wrappingIncrement(ordering: .relaxed)
        // Two threads may stamp at once; either time is a correct "latest" to within a moment.
        lastErrorTimestampMs.store(Int64(Date().timeIntervalSince1970 * 1000), ordering: .relaxed)
    }

    /// A record that could not be converted or transformed: one failure that is at
    /// once an error (records are not retried).
    func recordFailedRecord() {
        recordFailedAttempt()
        recordError()
    }

    /// An error a task handled itself under `errors.tolerance=all` (it gave up on part
    /// of its input and went on): one failure that ended failed, `logged` when the task
    /// wrote it to the log, `deadLettered` when it wrote a report record to the
    /// dead-letter topic (the runner counts that record's delivery failure, if any).
    public func recordHandledError(logged: Bool, deadLettered: Bool) {
        recordFailedRecord()
        if logged { errorsLogged.wrappingIncrement(ordering: .relaxed) }
        if deadLettered { deadLetterRequests.wrappingIncrement(ordering: .relaxed) }
    }

    /// Adds `count` to a counter (a relaxed read-modify-write: several threads may write).
    static func add(_ count: Int, to counter: ManagedAtomic<Int>) {
        guard count != 0 else { return }
        counter.wrappingIncrement(by: count, ordering: .relaxed)
    }
}
