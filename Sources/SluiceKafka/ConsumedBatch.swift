import CRdKafka
import SluiceCore

/// Messages returned by one ``Consumer/poll(into:maxMessages:timeoutMs:)``, as views.
///
/// Memory ownership: the batch owns the `rd_kafka_message_t`s librdkafka returned
/// and destroys them on the next poll into it, on ``releaseMessages()``, or in
/// `deinit`. A ``ConsumedRecord``'s pointers are valid until then.
public final class ConsumedBatch: @unchecked Sendable {
    /// The most messages one poll returns.
    public let capacity: Int
    /// Messages held now.
    public internal(set) var count: Int = 0
    let messages: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>

    /// Creates an empty batch for up to `capacity` messages.
    public init(capacity: Int) {
        precondition(capacity > 0, "ConsumedBatch capacity must be positive")
        self.capacity = capacity
        messages = .allocate(capacity: capacity)
        messages.initialize(repeating: nil, count: capacity)
    }

    deinit {
        releaseMessages()
        messages.deallocate()
    }

    /// Gives the messages back to librdkafka; views into them become invalid.
    public func releaseMessages() {
        for i in 0..<count {
            if let message = messages[i] { rd_kafka_message_destroy(message) }
            messages[i] = nil
        }
        count = 0
    }

    /// The distinct topics of the records held, in first-seen order. Records are
    /// compared by librdkafka's topic handle, so only a topic's first record costs
    /// a String.
    public var topics: [String] {
        var handles: [OpaquePointer] = []
        var names: [String] = []
        for i in 0..<count {
            guard let message = messages[i], message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR,
                let handle = message.pointee.rkt, handles.last != handle, !handles.contains(handle)
            else { continue }
            handles.append(handle)
            names.append(String(cString: rd_kafka_topic_name(handle)))
        }
        return names
    }

    /// The message at `position` (`0..<count`).
    public subscript(position: Int) -> ConsumedRecord {
        precondition(position >= 0 && position < count, "message index out of range")
        return ConsumedRecord(messages[position]!)
    }
}

/// A view of one consumed message (valid while its ``ConsumedBatch`` holds it).
public struct ConsumedRecord {
    let message: UnsafeMutablePointer<rd_kafka_message_t>

    init(_ message: UnsafeMutablePointer<rd_kafka_message_t>) {
        self.message = message
    }

    /// The error librdkafka reported in place of a record, or `nil` for a record.
    public var error: String? {
        message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError.text(message.pointee.err)
    }

    /// Whether the error says the read position fell off the partition's log (the
    /// records there were deleted before they were read).
    public var isOffsetOutOfRange: Bool {
        message.pointee.err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET
            || message.pointee.err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE
    }

    /// The topic name (allocates a String).
    public var topic: String {
        message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
    }

    /// The partition.
    public var partition: Int32 { message.pointee.partition }
    /// The offset.
    public var offset: Int64 { message.pointee.offset }

    /// The key bytes, or `nil` for a null key.
    public var key: UnsafeRawBufferPointer? {
        message.pointee.key.map { UnsafeRawBufferPointer(start: $0, count: message.pointee.key_len) }
    }

    /// The value bytes, or `nil` for a null value.
    public var value: UnsafeRawBufferPointer? {
        message.pointee.payload.map { UnsafeRawBufferPointer(start: $0, count: message.pointee.len) }
    }

    /// The record's headers, copied out (allocates; not for hot paths).
    public var headers: [RecordHeader] {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        var result: [RecordHeader] = []
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            let text = name.map { String(cString: $0) } ?? ""
            result.append(RecordHeader(name: text, value: value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }))
            index += 1
        }
        return result
    }

    /// The timestamp in milliseconds since the epoch, or `nil` when absent.
    public var timestampMs: Int64? {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let value = rd_kafka_message_timestamp(message, &type)
        return type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : value
    }
}
