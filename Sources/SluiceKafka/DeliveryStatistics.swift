import Histogram

/// What a ``Producer`` has seen reported, updated by the thread that polls it.
public struct DeliveryStatistics: Sendable {
    /// Records acknowledged by the cluster.
    public var delivered: Int = 0
    /// Records whose delivery failed (after librdkafka's own retries).
    public var failed: Int = 0
    /// Value and key bytes acknowledged.
    public var deliveredBytes: Int = 0
    /// Times a produce call found librdkafka's local queue full and waited
    /// (`queue.buffering.max.messages` or `.kbytes` reached).
    public var queueFullWaits: Int = 0
    /// The first failure's text, for reporting.
    public var firstError: String?
    /// Write-to-acknowledgement latency of delivered records, in microseconds
    /// (a sample: the records that carry a write time).
    public var latencyMicros = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .two)

    /// Creates empty statistics.
    public init() {}

    /// Adds another producer's figures (for a run with several tasks).
    public mutating func add(_ other: DeliveryStatistics) {
        delivered += other.delivered
        failed += other.failed
        queueFullWaits += other.queueFullWaits
        deliveredBytes += other.deliveredBytes
        if firstError == nil { firstError = other.firstError }
        latencyMicros.add(other.latencyMicros)
    }
}
