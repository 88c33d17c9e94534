import Atomics
import CRdKafka
#if canImport(Glibc)
import Glibc
#endif

/// A Kafka consumer that returns messages in batches of views.
///
/// Built on librdkafka's high-level consumer: ``subscribe(topics:)`` joins the
/// consumer group named by `group.id`, ``assign(topic:partitions:from:)`` reads
/// chosen partitions without a group. ``poll(into:maxMessages:timeoutMs:)`` fills a
/// ``ConsumedBatch`` whose records point into librdkafka's own message buffers, so
/// nothing is copied on the way to the caller.
///
/// Thread-safety rule (why `@unchecked Sendable`): one thread at a time polls;
/// librdkafka's calls themselves are thread-safe.
///
/// ```swift
/// let consumer = try Consumer(configuration: config)
/// try consumer.assign(topic: "events", partitions: [0, 1, 2, 3], from: .beginning)
/// let batch = ConsumedBatch(capacity: 10_000)
/// try consumer.poll(into: batch, timeoutMs: 500)
/// for i in 0..<batch.count { use(batch[i].value) }
/// ```
public final class Consumer: @unchecked Sendable {
    let handle: KafkaHandle
    private let queue: OpaquePointer

    /// Where reading starts in an assigned partition.
    public enum StartOffset: Sendable, Equatable {
        /// The oldest retained record.
        case beginning
        /// Only records produced from now on.
        case end
        /// The committed offset of the group, falling back to `auto.offset.reset`.
        case committed
        /// An absolute offset.
        case offset(Int64)

        var native: Int64 {
            switch self {
            case .beginning: return Int64(RD_KAFKA_OFFSET_BEGINNING)
            case .end: return Int64(RD_KAFKA_OFFSET_END)
            case .committed: return Int64(RD_KAFKA_OFFSET_STORED)
            case let .offset(value): return value
            }
        }
    }

    /// Creates a consumer. `group.id` defaults to a unique name and
    /// `auto.offset.reset` to `earliest` when not set.
    /// - Throws: ``KafkaError`` naming a rejected property.
    public init(configuration: KafkaConfiguration) throws {
        var config = configuration
        if config["group.id"] == nil {
            config["group.id"] = "sluice-\(getpid())-\(MonotonicTicket.next())"
        }
        if config["auto.offset.reset"] == nil { config["auto.offset.reset"] = "earliest" }
        handle = try KafkaHandle(type: RD_KAFKA_CONSUMER, configuration: config)
        rd_kafka_poll_set_consumer(handle.pointer)
        queue = rd_kafka_queue_get_consumer(handle.pointer)
    }

    deinit {
        rd_kafka_queue_destroy(queue)
        rd_kafka_consumer_close(handle.pointer)
    }

    /// Fetches cluster metadata, failing when no broker answers within `timeoutMs`.
    public func metadata(timeoutMs: Int) throws -> ClusterMetadata {
        try handle.metadata(timeoutMs: timeoutMs)
    }

    /// The partitions of `topic`, from fresh metadata.
    /// - Throws: ``KafkaError/topicFailed(topic:reason:)`` when the topic is unknown.
    public func partitions(of topic: String, timeoutMs: Int) throws -> [Int32] {
        let metadata = try handle.metadata(timeoutMs: timeoutMs)
        guard let entry = metadata.topics.first(where: { $0.name == topic }), !entry.partitions.isEmpty else {
            throw KafkaError.topicFailed(topic: topic, reason: "not found in the cluster's metadata")
        }
        if let error = entry.error { throw KafkaError.topicFailed(topic: topic, reason: error) }
        return entry.partitions
    }

    /// The low and high watermark offsets of a partition, asked of its leader.
    public func watermarks(topic: String, partition: Int32, timeoutMs: Int) throws -> (low: Int64, high: Int64) {
        var low: Int64 = 0
        var high: Int64 = 0
        let code = rd_kafka_query_watermark_offsets(handle.pointer, topic, partition, &low, &high, Int32(timeoutMs))
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.topicFailed(topic: topic, reason: "watermarks of partition \(partition): \(KafkaError.text(code))")
        }
        return (low, high)
    }

    /// Reads `partitions` of `topic` directly, without group membership.
    public func assign(topic: String, partitions: [Int32], from start: StartOffset = .beginning) throws {
        let list = rd_kafka_topic_partition_list_new(Int32(partitions.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for partition in partitions {
            let element = rd_kafka_topic_partition_list_add(list, topic, partition)
            element?.pointee.offset = start.native
        }
        let code = rd_kafka_assign(handle.pointer, list)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.consumeFailed(reason: "assign \(topic) \(partitions): \(KafkaError.text(code))")
        }
    }

    /// Joins the consumer group and lets the group coordinator assign partitions.
    public func subscribe(topics: [String]) throws {
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics { _ = rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA) }
        let code = rd_kafka_subscribe(handle.pointer, list)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.consumeFailed(reason: "subscribe \(topics): \(KafkaError.text(code))")
        }
    }

    /// How many partitions the group has assigned to this consumer now (0 before the
    /// first assignment, or when other members hold them all).
    public func assignedPartitionCount() -> Int {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(handle.pointer, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return 0 }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return Int(list.pointee.cnt)
    }

    /// Replaces `batch`'s contents with up to `maxMessages` messages (default: its
    /// capacity), waiting at most `timeoutMs` for the first.
    /// - Returns: how many messages `batch` now holds (including error messages,
    ///   which ``ConsumedRecord/error`` flags).
    @discardableResult
    public func poll(into batch: ConsumedBatch, maxMessages: Int? = nil, timeoutMs: Int) throws -> Int {
        batch.releaseMessages()
        let limit = Swift.min(maxMessages ?? batch.capacity, batch.capacity)
        let got = rd_kafka_consume_batch_queue(queue, Int32(timeoutMs), batch.messages, limit)
        if got < 0 {
            throw KafkaError.consumeFailed(reason: KafkaError.text(rd_kafka_last_error()))
        }
        batch.count = got
        return got
    }

    /// Commits the offsets of everything returned so far: synchronously (the call
    /// returns once the coordinator has them), or with `async` in the background
    /// (a later commit supersedes it; a failure surfaces at the next synchronous one).
    public func commit(async: Bool = false) throws {
        let code = rd_kafka_commit(handle.pointer, nil, async ? 1 : 0)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR__NO_OFFSET {
            throw KafkaError.consumeFailed(reason: "commit: \(KafkaError.text(code))")
        }
    }
}

/// A process-unique counter for generated names.
enum MonotonicTicket {
    private static let value = ManagedAtomic<Int>(0)
    static func next() -> Int {
        value.loadThenWrappingIncrement(ordering: .relaxed) + 1
    }
}
