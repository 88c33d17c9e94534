import SluiceCore
import SluiceKafka

/// Helpers shared by the Kafka tests: each test gets its own embedded cluster.
enum KafkaTestSupport {
    static func producerConfig(_ cluster: EmbeddedKafka, _ extra: [String: String] = [:]) -> KafkaConfiguration {
        var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        config["log_level"] = "0"
        config["linger.ms"] = "1"
        for (name, value) in extra { config[name] = value }
        return config
    }

    /// Writes `count` records "key-i" / "value-i" into batches from `pool`, produces them
    /// and flushes; returns the batches that came back through the delivery path.
    static func produce(
        count: Int, topic: String, cluster: EmbeddedKafka, extra: [String: String] = [:],
        between: ((Int) throws -> Void)? = nil
    ) throws -> (producer: Producer, returned: Int) {
        let pool = BatchPool(batchCount: 4, arenaBytes: 64 * 1024, maxRecords: 1000)
        nonisolated(unsafe) var returned = 0
        let producer = try Producer(topic: topic, configuration: producerConfig(cluster, extra)) { batch in
            returned += 1
            pool.release(batch)
        }
        var next = 0
        var idle = IdleStrategy(.busySpin)
        while next < count {
            let batch = pool.acquire(idle: &idle) { producer.poll(timeoutMs: 10); return true }!
            while next < count {
                let key = Array("key-\(next)".utf8)
                let value = Array("value-\(next)".utf8)
                let ok = try batch.append(keyLength: key.count, valueLength: value.count) { k, v in
                    k.copyBytes(from: key)
                    v.copyBytes(from: value)
                }
                if !ok { break }
                next += 1
            }
            try producer.produce(batch)
            try between?(next)
        }
        try producer.flush(timeoutMs: 60_000)
        return (producer, returned)
    }

    /// Reads `partitions` of `topic` from the beginning until the end offsets seen
    /// when it started (or `timeoutMs` without progress) and returns the values.
    static func consumeValues(
        topic: String, partitions: [Int32], count: Int, cluster: EmbeddedKafka, timeoutMs: Int = 20_000
    ) throws -> [String] {
        let consumer = try Consumer(configuration: producerConfig(cluster))
        var end = 0
        for partition in partitions {
            end += Int(try consumer.watermarks(topic: topic, partition: partition, timeoutMs: 10_000).high)
        }
        try consumer.assign(topic: topic, partitions: partitions, from: .beginning)
        let batch = ConsumedBatch(capacity: 5_000)
        var values: [String] = []
        var lastProgress = MonotonicClock.nanoseconds()
        while values.count < max(count, end) {
            try consumer.poll(into: batch, timeoutMs: 100)
            for i in 0..<batch.count where batch[i].error == nil {
                values.append(String(decoding: batch[i].value.map { Array($0) } ?? [], as: UTF8.self))
                lastProgress = MonotonicClock.nanoseconds()
            }
            if MonotonicClock.nanoseconds() - lastProgress > UInt64(timeoutMs) * 1_000_000 { break }
        }
        return values
    }
}
