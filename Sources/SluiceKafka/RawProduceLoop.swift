import CRdKafka
import SluiceCore

/// The baseline Sluice measures itself against: a tight librdkafka produce loop.
///
/// One thread per loop calls `rd_kafka_produce` without `RD_KAFKA_MSG_F_COPY` on
/// values taken from a prepared buffer (the same kind of bytes a datagen task
/// writes), serves delivery reports with `rd_kafka_poll`, and flushes at the end:
/// the least work a producer of these records can do through librdkafka.
public enum RawProduceLoop {
    /// librdkafka settings the benchmark's raw loop runs with unless the user sets
    /// them (`-X`): the fastest found for this loop on the embedded cluster
    /// (`perf/results/2026-12-03-vm-native-produce.md`). librdkafka's defaults are
    /// `linger.ms=5` and `batch.num.messages=10000` in 2.0.2 as well; they are named
    /// here so that a later librdkafka's defaults cannot move the baseline silently.
    public static let tunedSettings: [(String, String)] = [("linger.ms", "5"), ("batch.num.messages", "10000")]

    /// What one loop did.
    public struct Result: Sendable {
        /// Records acknowledged.
        public var delivered: Int = 0
        /// Records whose delivery failed.
        public var failed: Int = 0
        /// The first failure's text.
        public var firstError: String?
    }

    /// Produces `records` records of `recordSize` value bytes to `topic`, on the
    /// calling thread.
    ///
    /// - Parameters:
    ///   - keys: the keys to cycle through, all of one length (empty for null keys); the
    ///     same keys as the compared source, so the partitioner spreads records alike.
    ///   - payload: bytes values are taken from (a sliding window, like datagen).
    public static func run(
        topic: String, configuration: KafkaConfiguration, records: Int, recordSize: Int,
        keys: [[UInt8]], payload: [UInt8], flushTimeoutMs: Int = 60_000
    ) throws -> Result {
        let counts = DeliveryCounts()
        let handle = try KafkaHandle(type: RD_KAFKA_PRODUCER, configuration: configuration, context: counts) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, rawDeliveryReport)
            rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(counts).toOpaque())
        }
        guard let rkt = rd_kafka_topic_new(handle.pointer, topic, nil) else {
            throw KafkaError.topicFailed(topic: topic, reason: KafkaError.text(rd_kafka_last_error()))
        }
        defer { rd_kafka_topic_destroy(rkt) }
        // The window source must hold at least one record.
        var source = payload
        while source.count < recordSize + 1 { source.append(contentsOf: payload.isEmpty ? [0] : payload) }
        let keyLength = keys.first?.count ?? 0
        let keyTable: [UInt8] = keys.isEmpty ? [0] : Array(keys.joined())
        let keyCount = Swift.max(keys.count, 1)
        let span = source.count - recordSize
        try source.withUnsafeBytes { bytes in
            try keyTable.withUnsafeBytes { keyBytes in
                var sent = 0
                var keyIndex = 0
                while sent < records {
                    let start = (sent &* 61) % span
                    let status = rd_kafka_produce(
                        rkt, RD_KAFKA_PARTITION_UA, 0,
                        UnsafeMutableRawPointer(mutating: bytes.baseAddress! + start), recordSize,
                        keyLength > 0 ? keyBytes.baseAddress! + keyIndex &* keyLength : nil, keyLength, nil)
                    if status == 0 {
                        sent += 1
                        keyIndex += 1
                        if keyIndex == keyCount { keyIndex = 0 }
                        if sent & 1023 == 0 { rd_kafka_poll(handle.pointer, 0) }
                        continue
                    }
                    let code = rd_kafka_last_error()
                    guard code == RD_KAFKA_RESP_ERR__QUEUE_FULL else {
                        throw KafkaError.produceFailed(topic: topic, reason: KafkaError.text(code))
                    }
                    rd_kafka_poll(handle.pointer, 1)
                }
                if rd_kafka_flush(handle.pointer, Int32(flushTimeoutMs)) != RD_KAFKA_RESP_ERR_NO_ERROR {
                    throw KafkaError.flushTimedOut(
                        outstanding: Int(rd_kafka_outq_len(handle.pointer)), timeoutMs: flushTimeoutMs)
                }
            }
        }
        return Result(delivered: counts.delivered, failed: counts.failed, firstError: counts.firstError)
    }
}

/// Delivery counts of one raw loop; touched only by the loop's thread (inside poll/flush).
private final class DeliveryCounts {
    var delivered = 0
    var failed = 0
    var firstError: String?
}

private func rawDeliveryReport(
    _ rk: OpaquePointer?, _ message: UnsafePointer<rd_kafka_message_t>?, _ opaque: UnsafeMutableRawPointer?
) {
    guard let message, let opaque else { return }
    let counts = Unmanaged<DeliveryCounts>.fromOpaque(opaque).takeUnretainedValue()
    if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
        counts.delivered &+= 1
    } else {
        counts.failed &+= 1
        if counts.firstError == nil { counts.firstError = KafkaError.text(message.pointee.err) }
    }
}
