import CRdKafka
import SluiceCore

/// A zero-copy Kafka producer for ``RecordBatch``es.
///
/// ``produce(_:)`` hands librdkafka pointers into the batch arena without
/// `RD_KAFKA_MSG_F_COPY`, so record values are never copied on the way to the
/// socket (librdkafka copies keys into its per-message header, and compresses when
/// asked). The batch must stay untouched until every record in it is reported; the
/// producer then calls its `onBatchDelivered` handler once, which normally returns
/// the batch to its ``BatchPool``. Failed deliveries are counted in ``statistics``
/// and on the batch (``RecordBatch/failedDeliveries``), never dropped silently.
///
/// Thread-safety rule (why `@unchecked Sendable`): one thread at a time calls
/// ``produce(_:)``, ``poll(timeoutMs:)`` and ``flush(timeoutMs:)``; delivery reports
/// run on that thread inside `poll`/`flush`, so batch bookkeeping and
/// ``statistics`` need no locks. Read ``statistics`` from that thread, or after
/// ``flush(timeoutMs:)`` returned and the thread was joined.
///
/// ```swift
/// let producer = try Producer(topic: "events", configuration: config) { batch in pool.release(batch) }
/// try producer.produce(batch)
/// try producer.flush(timeoutMs: 10_000)
/// ```
public final class Producer: @unchecked Sendable {
    /// The topic records go to.
    public let topic: String
    /// Delivery counts, failures and latencies so far.
    @exclusivity(unchecked) public internal(set) var statistics = DeliveryStatistics()
    /// Whether to record write-to-acknowledgement latency of the sampled records.
    public var recordsLatency = true
    /// The librdkafka call plain records go through; set it before the first
    /// ``produce(_:)``.
    public var call: ProduceCall = .automatic

    let handle: KafkaHandle
    let topicHandle: OpaquePointer
    /// Descriptors for `rd_kafka_produce_batch`, reused by every call.
    private let scratch = ProduceCallScratch(capacity: 1024)
    let onBatchDelivered: (RecordBatch) -> Void

    /// Creates a producer for `topic`.
    /// - Parameter onBatchDelivered: called once per batch, on the polling thread,
    ///   when every record in it has been reported (delivered or failed).
    /// - Throws: ``KafkaError`` naming a rejected property, or creation failures.
    public init(
        topic: String,
        configuration: KafkaConfiguration,
        onBatchDelivered: @escaping (RecordBatch) -> Void
    ) throws {
        self.topic = topic
        self.onBatchDelivered = onBatchDelivered
        let box = ProducerBox()
        handle = try KafkaHandle(type: RD_KAFKA_PRODUCER, configuration: configuration, context: box) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, producerDeliveryReport)
            rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(box).toOpaque())
        }
        guard let rkt = rd_kafka_topic_new(handle.pointer, topic, nil) else {
            throw KafkaError.topicFailed(topic: topic, reason: KafkaError.text(rd_kafka_last_error()))
        }
        topicHandle = rkt
        box.producer = Unmanaged.passUnretained(self)
    }

    deinit {
        // Serve the reports already waiting so their batches go home, then cut the
        // back-reference: reports librdkafka still emits while it is destroyed find
        // no producer (the box itself lives as long as the handle).
        _ = rd_kafka_poll(handle.pointer, 0)
        (rd_kafka_opaque(handle.pointer).map { Unmanaged<ProducerBox>.fromOpaque($0).takeUnretainedValue() })?.producer = nil
        rd_kafka_topic_destroy(topicHandle)
        for other in otherTopics.values { rd_kafka_topic_destroy(other) }
    }

    /// Fetches metadata, failing with ``KafkaError/unreachable(bootstrapServers:timeoutMs:reason:)``
    /// when no broker answers in time.
    public func checkReachable(timeoutMs: Int) throws -> ClusterMetadata {
        try handle.metadata(topic: topicHandle, timeoutMs: timeoutMs)
    }

    /// Hands every record of `batch` to librdkafka without copying values.
    ///
    /// Runs of records without headers or explicit timestamps go to librdkafka in one
    /// `rd_kafka_produce_batch` call each (see ``ProduceCallScratch``); the others,
    /// one `rd_kafka_produceva` call each. Records keep their order either way. When
    /// librdkafka's queue is full it serves delivery reports and retries from the first
    /// record not queued, so the call blocks until the whole batch is queued
    /// (backpressure).
    /// - Throws: ``KafkaError/produceFailed(topic:reason:)`` for an error that retrying
    ///   cannot fix; every record not queued is counted as failed on the batch.
    public func produce(_ batch: RecordBatch) throws {
        let total = batch.count
        batch.pendingDeliveries = total
        if total == 0 {
            onBatchDelivered(batch)
            return
        }
        let topicHandle = try batch.topic.map(handle(forTopic:)) ?? self.topicHandle
        var position = 0
        while position < total {
            let entry = batch.entryPointer(at: position)
            if !ProduceCallScratch.isPlain(entry) {
                let code = produceWithHeaders(entry, arena: batch.arenaBase, topic: topicHandle)
                if code == RD_KAFKA_RESP_ERR_NO_ERROR {
                    position += 1
                } else if code == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                    waitForQueueSpace()
                } else {
                    throw failUnqueued(total - position, of: batch, reason: KafkaError.text(code))
                }
                continue
            }
            let filled: Int
            let queued: Int
            let automatic = call == .automatic
            if call == .record || automatic && ProduceCallScratch.isHashedByKey(entry) {
                filled = scratch.fill(from: batch, start: position, limit: 1)
                queued = produceOne(scratch.messages, topic: topicHandle)
            } else {
                filled = scratch.fill(from: batch, start: position, limit: scratch.capacity, excludingHashed: automatic)
                queued = Int(
                    rd_kafka_produce_batch(
                        topicHandle, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_PARTITION, scratch.messages, Int32(filled)))
            }
            if queued == filled {
                position += filled
                continue
            }
            // Some were not queued. A full queue refuses the record it hit and every
            // record after it in the call; anything else refuses that record for good.
            var firstFull: Int?
            var refusal: rd_kafka_resp_err_t?
            for index in 0..<filled {
                let code = scratch.error(at: index)
                if code == RD_KAFKA_RESP_ERR_NO_ERROR { continue }
                if code == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                    firstFull = index
                    break
                }
                if refusal == nil { refusal = code }
            }
            if let refusal {
                // Records queued in this call stay in flight and are reported; the
                // rest of the batch is accounted as failed.
                let unqueued = (filled - queued) + (total - position - filled)
                throw failUnqueued(unqueued, of: batch, reason: KafkaError.text(refusal))
            }
            position += firstFull ?? filled
            waitForQueueSpace()
        }
    }

    /// `rd_kafka_produce` for one descriptor, with the result written into it as
    /// `rd_kafka_produce_batch` would.
    /// - Returns: 1 when the record was queued, else 0.
    @inline(__always)
    private func produceOne(_ message: UnsafeMutablePointer<rd_kafka_message_t>, topic topicHandle: OpaquePointer) -> Int {
        let status = rd_kafka_produce(
            topicHandle, message.pointee.partition, 0, message.pointee.payload, message.pointee.len,
            message.pointee.key, message.pointee.key_len, message.pointee._private)
        if status == 0 { return 1 }
        message.pointee.err = rd_kafka_last_error()
        return 0
    }

    /// Serves delivery reports for a moment so that librdkafka's queue drains.
    private func waitForQueueSpace() {
        statistics.queueFullWaits += 1
        rd_kafka_poll(handle.pointer, 1)
    }

    /// Counts `count` records of `batch` that never reached librdkafka as failed,
    /// completes the batch when nothing else is pending, and returns the error to throw.
    private func failUnqueued(_ count: Int, of batch: RecordBatch, reason: String) -> KafkaError {
        statistics.failed += count
        if statistics.firstError == nil { statistics.firstError = reason }
        if batch.settleFailed(count, reason: reason) { onBatchDelivered(batch) }
        return KafkaError.produceFailed(topic: topic, reason: reason)
    }

    /// Handles of topics other than ``topic`` that batches were routed to.
    private var otherTopics: [String: OpaquePointer] = [:]

    private func handle(forTopic name: String) throws -> OpaquePointer {
        if name == topic { return topicHandle }
        if let existing = otherTopics[name] { return existing }
        guard let rkt = rd_kafka_topic_new(handle.pointer, name, nil) else {
            throw KafkaError.topicFailed(topic: name, reason: KafkaError.text(rd_kafka_last_error()))
        }
        otherTopics[name] = rkt
        return rkt
    }

    /// The path for records with headers or an explicit timestamp, one call each.
    private func produceWithHeaders(
        _ entry: UnsafeMutablePointer<RecordEntry>, arena: UnsafeMutableRawPointer, topic topicHandle: OpaquePointer
    ) -> rd_kafka_resp_err_t {
        var headers: OpaquePointer?
        if entry.pointee.headerCount > 0 {
            let decoded = RecordHeader.headers(of: entry.pointee, arena: UnsafeRawPointer(arena))
            headers = rd_kafka_headers_new(decoded.count)
            for header in decoded {
                if let value = header.value {
                    value.withUnsafeBytes { bytes in
                        _ = rd_kafka_header_add(headers, header.name, -1, bytes.baseAddress, bytes.count)
                    }
                } else {
                    _ = rd_kafka_header_add(headers, header.name, -1, nil, 0)
                }
            }
        }
        var values = [rd_kafka_vu_t](repeating: rd_kafka_vu_t(), count: 8)
        var n = 0
        func add(_ type: rd_kafka_vtype_t, _ fill: (inout rd_kafka_vu_t) -> Void) {
            values[n].vtype = type
            fill(&values[n])
            n += 1
        }
        add(RD_KAFKA_VTYPE_RKT) { $0.u.rkt = topicHandle }
        add(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = entry.pointee.partition }
        if entry.pointee.valueLength >= 0 {
            add(RD_KAFKA_VTYPE_VALUE) {
                $0.u.mem.ptr = arena + Int(entry.pointee.valueOffset)
                $0.u.mem.size = Int(entry.pointee.valueLength)
            }
        }
        if entry.pointee.keyLength >= 0 {
            add(RD_KAFKA_VTYPE_KEY) {
                $0.u.mem.ptr = arena + Int(entry.pointee.keyOffset)
                $0.u.mem.size = Int(entry.pointee.keyLength)
            }
        }
        add(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = UnsafeMutableRawPointer(entry) }
        add(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = 0 }
        if entry.pointee.timestampMs != 0 {
            add(RD_KAFKA_VTYPE_TIMESTAMP) { $0.u.i64 = entry.pointee.timestampMs }
        }
        if let headers {
            add(RD_KAFKA_VTYPE_HEADERS) { $0.u.headers = headers }
        }
        let error = values.withUnsafeBufferPointer { rd_kafka_produceva(handle.pointer, $0.baseAddress, n) }
        guard let error else { return RD_KAFKA_RESP_ERR_NO_ERROR }
        // On failure the headers were not taken over by a message.
        let code = rd_kafka_error_code(error)
        rd_kafka_error_destroy(error)
        if let headers { rd_kafka_headers_destroy(headers) }
        return code
    }

    /// Serves delivery reports for up to `timeoutMs` (0: only what is ready).
    /// - Returns: the number of events served.
    @discardableResult
    public func poll(timeoutMs: Int = 0) -> Int {
        Int(rd_kafka_poll(handle.pointer, Int32(timeoutMs)))
    }

    /// Records queued in librdkafka and not yet reported.
    public var outstanding: Int { Int(rd_kafka_outq_len(handle.pointer)) }

    /// Waits until every queued record is reported.
    /// - Throws: ``KafkaError/flushTimedOut(outstanding:timeoutMs:)`` when some are
    ///   still outstanding after `timeoutMs`.
    public func flush(timeoutMs: Int) throws {
        let code = rd_kafka_flush(handle.pointer, Int32(timeoutMs))
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.flushTimedOut(outstanding: outstanding, timeoutMs: timeoutMs)
        }
    }

    /// One delivery report (called from the C callback on the polling thread).
    @inline(__always)
    func deliveryReport(_ message: UnsafePointer<rd_kafka_message_t>) {
        guard let opaque = message.pointee._private else { return }
        let entry = opaque.assumingMemoryBound(to: RecordEntry.self)
        // +0 access: the pool keeps the batch alive, so no retain/release per record.
        RecordBatch.withOwner(of: entry) { batch in
            report(message, entry: entry, batch: batch)
        }
    }

    @inline(__always)
    private func report(
        _ message: UnsafePointer<rd_kafka_message_t>, entry: UnsafeMutablePointer<RecordEntry>, batch: RecordBatch
    ) {
        if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
            statistics.delivered &+= 1
            statistics.deliveredBytes &+= message.pointee.len &+ message.pointee.key_len
            if recordsLatency && entry.pointee.writtenAtNanos != 0 {
                let micros = (MonotonicClock.nanoseconds() &- entry.pointee.writtenAtNanos) / 1000
                _ = statistics.latencyMicros.record(Swift.max(micros, 1))
            }
        } else {
            statistics.failed &+= 1
            batch.failedDeliveries &+= 1
            if batch.firstDeliveryError == nil || statistics.firstError == nil {
                let reason = KafkaError.text(message.pointee.err)
                if batch.firstDeliveryError == nil { batch.firstDeliveryError = reason }
                if statistics.firstError == nil { statistics.firstError = reason }
            }
        }
        batch.pendingDeliveries &-= 1
        if batch.pendingDeliveries == 0 { onBatchDelivered(batch) }
    }
}

/// The object librdkafka's opaque points at; it outlives every callback because the
/// producer destroys the handle (and so stops callbacks) before releasing it.
private final class ProducerBox {
    var producer: Unmanaged<Producer>?
}

/// librdkafka's delivery-report callback: forwards to the owning ``Producer``.
private func producerDeliveryReport(
    _ rk: OpaquePointer?, _ message: UnsafePointer<rd_kafka_message_t>?, _ opaque: UnsafeMutableRawPointer?
) {
    guard let message, let opaque else { return }
    Unmanaged<ProducerBox>.fromOpaque(opaque)._withUnsafeGuaranteedRef { box in
        box.producer?._withUnsafeGuaranteedRef { $0.deliveryReport(message) }
    }
}
