import SluiceCore

/// What a source task's runner needs from a producer of ``RecordBatch``es: the
/// librdkafka path (``Producer``) and the native path (``NativeProducer``) both
/// serve it.
///
/// Every call comes from one thread at a time; delivery reports (the
/// `onBatchDelivered` handler each producer takes) run on that thread inside
/// ``produce(_:)``, ``poll(timeoutMs:)`` or ``flush(timeoutMs:)``.
public protocol BatchProducer: AnyObject, Sendable {
    /// Delivery counts, failures and latencies so far.
    var statistics: DeliveryStatistics { get }
    /// Whether to record write-to-acknowledgement latency.
    var recordsLatency: Bool { get set }
    /// Records handed over and not yet reported.
    var outstanding: Int { get }
    /// Hands every record of `batch` to the producer (blocking while its buffers
    /// are full); the batch is reported once, when every record in it is.
    func produce(_ batch: RecordBatch) throws
    /// Serves reports for up to `timeoutMs`; returns how many events were served.
    @discardableResult func poll(timeoutMs: Int) -> Int
    /// Waits until every record handed over is reported.
    func flush(timeoutMs: Int) throws
}

extension Producer: BatchProducer {}
