import CRdKafka
import Foundation

/// A producer for small control records (configs, statuses, offsets) that copies
/// each record and waits until it is acknowledged.
///
/// The data path uses the zero-copy ``Producer``; this one is for the few records
/// a worker writes about itself, where waiting for the acknowledgement is the
/// point: a config a REST call wrote must be in Kafka before the call answers.
///
/// Thread-safety: ``send(_:)`` may be called from any thread; calls are serialized.
public final class MessageProducer: @unchecked Sendable {
    /// One record to write.
    public struct Message: Sendable {
        /// The topic.
        public var topic: String
        /// An explicit partition, or nil for the key's partition.
        public var partition: Int32?
        /// The key.
        public var key: [UInt8]?
        /// The value; nil writes a tombstone.
        public var value: [UInt8]?

        /// A record for `topic`.
        public init(topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?) {
            self.topic = topic
            self.partition = partition
            self.key = key
            self.value = value
        }
    }

    private let handle: KafkaHandle
    private let box: DeliveryBox
    private var topics: [String: OpaquePointer] = [:]
    private let lock = NSLock()

    /// Creates the producer. `acks=all` and idempotence are set unless `configuration` says otherwise.
    /// - Throws: ``KafkaError``.
    public init(configuration: KafkaConfiguration) throws {
        var config = configuration
        if config["acks"] == nil { config["acks"] = "all" }
        if config["linger.ms"] == nil { config["linger.ms"] = "0" }
        let box = DeliveryBox()
        self.box = box
        handle = try KafkaHandle(type: RD_KAFKA_PRODUCER, configuration: config, context: box) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, messageDeliveryReport)
            rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(box).toOpaque())
        }
    }

    deinit {
        for topic in topics.values { rd_kafka_topic_destroy(topic) }
    }

    /// Writes `messages` and waits until every one is acknowledged.
    /// - Throws: ``KafkaError/produceFailed(topic:reason:)`` naming the first failure,
    ///   or ``KafkaError/flushTimedOut(outstanding:timeoutMs:)``.
    public func send(_ messages: [Message], timeoutMs: Int = 30_000) throws {
        try lock.withLock {
            box.reset()
            for message in messages {
                let topic = try topicHandle(message.topic)
                var code: Int32 = 0
                repeat {
                    code = withOptionalBytes(message.value) { value, valueCount in
                        withOptionalBytes(message.key) { key, keyCount in
                            rd_kafka_produce(
                                topic, message.partition ?? RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY,
                                value, valueCount, key, keyCount, nil)
                        }
                    }
                    if code != 0 {
                        let error = rd_kafka_last_error()
                        guard error == RD_KAFKA_RESP_ERR__QUEUE_FULL else {
                            throw KafkaError.produceFailed(topic: message.topic, reason: KafkaError.text(error))
                        }
                        rd_kafka_poll(handle.pointer, 10)
                    }
                } while code != 0
            }
            let flushed = rd_kafka_flush(handle.pointer, Int32(timeoutMs))
            if flushed != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError.flushTimedOut(outstanding: Int(rd_kafka_outq_len(handle.pointer)), timeoutMs: timeoutMs)
            }
            if let failure = box.firstFailure {
                throw KafkaError.produceFailed(topic: failure.topic, reason: failure.reason)
            }
        }
    }

    private func topicHandle(_ name: String) throws -> OpaquePointer {
        if let topic = topics[name] { return topic }
        guard let topic = rd_kafka_topic_new(handle.pointer, name, nil) else {
            throw KafkaError.topicFailed(topic: name, reason: KafkaError.text(rd_kafka_last_error()))
        }
        topics[name] = topic
        return topic
    }
}

private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeMutableRawPointer?, Int) throws -> R) rethrows -> R {
    guard let bytes else { return try body(nil, 0) }
    var copy = bytes
    return try copy.withUnsafeMutableBytes { try body($0.baseAddress, $0.count) }
}

/// Delivery failures of one ``MessageProducer/send(_:timeoutMs:)``; written on the
/// thread that serves the reports (the sender, inside `rd_kafka_flush`).
final class DeliveryBox: @unchecked Sendable {
    var firstFailure: (topic: String, reason: String)?
    func reset() { firstFailure = nil }
}

private func messageDeliveryReport(
    _: OpaquePointer?, _ message: UnsafePointer<rd_kafka_message_t>?, _ opaque: UnsafeMutableRawPointer?
) {
    guard let message, let opaque, message.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
    let box = Unmanaged<DeliveryBox>.fromOpaque(opaque).takeUnretainedValue()
    if box.firstFailure == nil {
        let topic = String(cString: rd_kafka_topic_name(message.pointee.rkt))
        box.firstFailure = (topic, KafkaError.text(message.pointee.err))
    }
}
