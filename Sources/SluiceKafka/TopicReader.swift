/// Reads every partition of a topic from the beginning and can tell when it has
/// caught up with the end: how each worker rebuilds its view of the config,
/// status and offset topics.
///
/// Thread-safety: one thread at a time (the caller serializes).
public final class TopicReader: @unchecked Sendable {
    /// One record read; key and value are copies.
    public struct Entry: Sendable {
        /// Its partition.
        public var partition: Int32
        /// Its offset.
        public var offset: Int64
        /// The key, nil if none.
        public var key: [UInt8]?
        /// The value, nil for a tombstone.
        public var value: [UInt8]?

        /// An entry (for tests and replays).
        public init(partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8]?) {
            self.partition = partition
            self.offset = offset
            self.key = key
            self.value = value
        }
    }

    /// The topic.
    public let topic: String
    private let consumer: Consumer
    private let partitions: [Int32]
    private var next: [Int32: Int64] = [:]
    private let batch = ConsumedBatch(capacity: 1_000)

    /// Assigns every partition of `topic` from the beginning.
    /// - Throws: ``KafkaError`` when the topic's partitions cannot be listed.
    public init(topic: String, configuration: KafkaConfiguration, timeoutMs: Int = 10_000) throws {
        self.topic = topic
        var config = configuration
        config["enable.auto.commit"] = "false"
        config["enable.partition.eof"] = "false"
        consumer = try Consumer(configuration: config)
        partitions = try consumer.partitions(of: topic, timeoutMs: timeoutMs)
        guard !partitions.isEmpty else { throw KafkaError.topicFailed(topic: topic, reason: "it has no partitions") }
        try consumer.assign(topic: topic, partitions: partitions, from: .beginning)
    }

    /// The number of partitions.
    public var partitionCount: Int { partitions.count }

    /// The offset after the last record handed out, summed over partitions (a
    /// position to compare views by; for a one-partition topic, the next offset).
    public var position: Int64 { next.values.reduce(0, +) }

    /// Hands out what arrives within `timeoutMs`.
    public func poll(timeoutMs: Int, _ handle: (Entry) -> Void) throws {
        let count = try consumer.poll(into: batch, timeoutMs: timeoutMs)
        for index in 0..<count {
            let record = batch[index]
            if record.error != nil { continue }
            handle(Entry(
                partition: record.partition, offset: record.offset,
                key: record.key.map { Array($0) }, value: record.value.map { Array($0) }))
            next[record.partition] = record.offset + 1
        }
        batch.releaseMessages()
    }

    /// Reads until every partition is at the end it had when the call began.
    /// - Throws: ``KafkaError/consumeFailed(reason:)`` when that takes longer than `timeoutMs`.
    public func readToEnd(timeoutMs: Int, _ handle: (Entry) -> Void) throws {
        var ends: [Int32: Int64] = [:]
        for partition in partitions {
            ends[partition] = try consumer.watermarks(topic: topic, partition: partition, timeoutMs: timeoutMs).high
        }
        let deadline = ContinuousClock.now + .milliseconds(timeoutMs)
        while ends.contains(where: { (next[$0.key] ?? 0) < $0.value }) {
            guard ContinuousClock.now < deadline else {
                throw KafkaError.consumeFailed(reason: "reading '\(topic)' did not reach its end within \(timeoutMs) ms")
            }
            try poll(timeoutMs: 100, handle)
        }
    }
}
