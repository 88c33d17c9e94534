/// The native producer's state for one partition of a topic: the batch being
/// written, the sealed batches not yet acknowledged (in sequence order) and the
/// retry state.
///
/// Ownership rule: owned by its ``NativeProducer``'s topic table and used only on
/// the producer's thread.
final class NativePartition {
    let topic: Int
    let index: Int32
    /// The leader's broker id (-1: unknown).
    var leader: Int32 = -1
    /// The batch records are appended to.
    var open: WireRecordBatch? {
        didSet { openRef = open.map(Unmanaged.passUnretained) }
    }
    /// ``open``, unretained, for the per-record path (``open`` keeps it alive).
    @exclusivity(unchecked) private(set) var openRef: Unmanaged<WireRecordBatch>?
    /// Sealed batches not yet acknowledged, oldest first (the first `inFlight` of
    /// them were sent and await an answer, unless a retry is pending).
    var unacked: [WireRecordBatch] = []
    /// How many of ``unacked`` (from the front) are sent and not answered.
    var inFlight = 0
    /// The next sequence number to give a batch (idempotent producer).
    var nextSequence: Int32 = 0
    /// A retriable error happened: send nothing until the in-flight batches are
    /// answered and the backoff passed, then resend ``unacked`` in order.
    var retryPending = false
    /// When a pending retry may start.
    var retryAtNanos: UInt64 = 0
    /// The last error seen for the partition, for reports.
    var lastError = "none"

    init(topic: Int, index: Int32) {
        self.topic = topic
        self.index = index
    }

    /// Batches sealed and waiting to be sent.
    var waiting: Int { unacked.count - inFlight }
}

/// One topic the native producer writes to.
final class NativeTopic {
    let name: String
    var partitions: [NativePartition] {
        didSet { partitionRefs = partitions.map(Unmanaged.passUnretained) }
    }
    /// ``partitions``, unretained, for the per-record path (``partitions`` keeps them alive).
    @exclusivity(unchecked) private(set) var partitionRefs: [Unmanaged<NativePartition>] = []
    /// The sticky partition for null keys in the current task batch.
    @exclusivity(unchecked) var sticky: Int32 = -1

    init(name: String, index: Int, partitionCount: Int) {
        self.name = name
        partitions = (0..<partitionCount).map { NativePartition(topic: index, index: Int32($0)) }
        partitionRefs = partitions.map(Unmanaged.passUnretained)
    }
}

/// A produce request sent and not yet answered.
struct InFlightRequest {
    let correlation: Int32
    let sentAtNanos: UInt64
    /// The batches it carries, one per partition.
    var batches: [WireRecordBatch]
}
