import SluiceCore
import SluiceKafka
import Testing

@Suite("Producer and Consumer against the embedded cluster")
struct ProducerConsumerTests {
    @Test("records sent come back exactly, for each codec", arguments: ["none", "lz4", "zstd"])
    func roundTrip(codec: String) throws {
        let cluster = try EmbeddedKafka(brokers: 1)
        try cluster.createTopic("round-trip", partitions: 3)
        let count = 20_000
        let (producer, returned) = try KafkaTestSupport.produce(
            count: count, topic: "round-trip", cluster: cluster, extra: ["compression.type": codec])
        #expect(producer.statistics.delivered == count)
        #expect(producer.statistics.failed == 0)
        #expect(returned > 0, "batches must come back through the delivery path")
        #expect(producer.statistics.latencyMicros.totalCount > 0)
        let values = try KafkaTestSupport.consumeValues(
            topic: "round-trip", partitions: [0, 1, 2], count: count, cluster: cluster)
        #expect(values.count == count)
        #expect(Set(values) == Set((0..<count).map { "value-\($0)" }))
    }

    @Test("headers and explicit timestamps travel with the record")
    func headersAndTimestamps() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("headers", partitions: 1)
        let pool = BatchPool(batchCount: 1, arenaBytes: 4096, maxRecords: 8)
        let producer = try Producer(topic: "headers", configuration: KafkaTestSupport.producerConfig(cluster)) {
            pool.release($0)
        }
        let batch = try #require(pool.tryAcquire())
        let value = Array("payload".utf8)
        let headers = [RecordHeader(name: "source", value: Array("sluice".utf8)), RecordHeader(name: "none", value: nil)]
        _ = try value.withUnsafeBytes { try batch.append(key: nil, value: $0, headers: headers, timestampMs: 1_700_000_000_000, partition: 0) }
        try producer.produce(batch)
        try producer.flush(timeoutMs: 10_000)
        #expect(producer.statistics.delivered == 1)

        let consumer = try Consumer(configuration: KafkaTestSupport.producerConfig(cluster))
        try consumer.assign(topic: "headers", partitions: [0])
        let consumed = ConsumedBatch(capacity: 10)
        var found: ConsumedRecord?
        for _ in 0..<100 where found == nil {
            try consumer.poll(into: consumed, timeoutMs: 100)
            if consumed.count > 0 { found = consumed[0] }
        }
        let record = try #require(found)
        #expect(record.key == nil)
        #expect(record.value.map { Array($0) } == value)
        #expect(record.headers == headers)
        #expect(record.timestampMs == 1_700_000_000_000)
        #expect(record.topic == "headers")
    }

    @Test("a broker taken down and brought back mid-run loses nothing")
    func brokerDownAndUp() throws {
        let cluster = try EmbeddedKafka(brokers: 3)
        try cluster.createTopic("failover", partitions: 3, replicationFactor: 3)
        for partition in 0..<3 { try cluster.setPartitionLeader(topic: "failover", partition: partition, broker: 1) }
        let count = 30_000
        var phase = 0
        let (producer, _) = try KafkaTestSupport.produce(
            count: count, topic: "failover", cluster: cluster,
            extra: ["message.timeout.ms": "60000"]
        ) { written in
            // Down for about 1.5 s while records keep being queued, then back up.
            if phase == 0 && written >= count / 3 {
                phase = 1
                try cluster.setBrokerDown(1)
                sleepMilliseconds(milliseconds: 1_500)
                try cluster.setBrokerUp(1)
            }
        }
        #expect(phase == 1, "the leader must have gone down and up during the run")
        #expect(producer.statistics.failed == 0, "\(producer.statistics.firstError ?? "")")
        #expect(producer.statistics.delivered == count)
        let values = try KafkaTestSupport.consumeValues(
            topic: "failover", partitions: [0, 1, 2], count: count, cluster: cluster)
        let expected = Set((0..<count).map { "value-\($0)" })
        let missing = expected.subtracting(values)
        #expect(missing.isEmpty, "\(missing.count) acknowledged records missing, e.g. \(missing.sorted().prefix(3))")
        // At-least-once: retries after the outage may duplicate, never lose.
        #expect(values.count >= count)
    }

    @Test("deliveries that fail are counted on the producer and the batch, not dropped")
    func failedDeliveriesSurface() throws {
        let cluster = try EmbeddedKafka(brokers: 1)
        try cluster.createTopic("doomed", partitions: 1)
        try cluster.setBrokerDown(1)
        let pool = BatchPool(batchCount: 1, arenaBytes: 4096, maxRecords: 16)
        nonisolated(unsafe) var completed: RecordBatch?
        let producer = try Producer(
            topic: "doomed",
            configuration: KafkaTestSupport.producerConfig(cluster, ["message.timeout.ms": "300"])
        ) { completed = $0 }
        let batch = try #require(pool.tryAcquire())
        for _ in 0..<5 { _ = try batch.append(keyLength: -1, valueLength: 4) { _, v in v.initializeMemory(as: UInt8.self, repeating: 1) } }
        try producer.produce(batch)
        #expect(throws: Never.self) { try? producer.flush(timeoutMs: 10_000) }
        #expect(producer.statistics.failed == 5)
        #expect(producer.statistics.delivered == 0)
        #expect(producer.statistics.firstError != nil)
        #expect(completed === batch)
        #expect(batch.failedDeliveries == 5)
    }

    @Test("a full local queue is waited out: every record delivered once, in order, header records interleaved")
    func queueFullKeepsOrder() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("tight", partitions: 1)
        let pool = BatchPool(batchCount: 1, arenaBytes: 1 << 20, maxRecords: 6000)
        nonisolated(unsafe) var completed = 0
        let producer = try Producer(
            topic: "tight", configuration: KafkaTestSupport.producerConfig(cluster, ["queue.buffering.max.messages": "1000"])
        ) { _ in completed += 1 }
        let batch = try #require(pool.tryAcquire())
        let count = 5000
        for index in 0..<count {
            let value = Array("value-\(index)".utf8)
            // Every 700th record carries a header (produced through the other librdkafka call).
            let headers = index % 700 == 0 ? [RecordHeader(name: "n", value: Array(String(index).utf8))] : []
            _ = try value.withUnsafeBytes { try batch.append(key: nil, value: $0, headers: headers, timestampMs: 0, partition: -1) }
        }
        try producer.produce(batch)
        try producer.flush(timeoutMs: 30_000)
        #expect(producer.statistics.delivered == count)
        #expect(producer.statistics.queueFullWaits > 0, "a queue of 1,000 must fill with 5,000 records")
        #expect(completed == 1)
        let values = try KafkaTestSupport.consumeValues(topic: "tight", partitions: [0], count: count, cluster: cluster)
        #expect(values == (0..<count).map { "value-\($0)" })
    }

    @Test(
        "records land in the partition they name, in order, across produce calls; unpartitioned ones by key",
        arguments: ProduceCall.allCases)
    func explicitPartitions(call: ProduceCall) throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("placed", partitions: 4)
        let pool = BatchPool(batchCount: 1, arenaBytes: 1 << 20, maxRecords: 5000)
        let producer = try Producer(topic: "placed", configuration: KafkaTestSupport.producerConfig(cluster)) { _ in }
        producer.call = call
        let batch = try #require(pool.tryAcquire())
        // More records than one produce call takes, so the run is split between calls.
        let count = 3000
        for index in 0..<count {
            let value = Array("value-\(index)".utf8)
            let key = Array("key-\(index % 7)".utf8)
            let partition: Int32 = index % 5 == 0 ? -1 : Int32(index % 4)
            _ = try value.withUnsafeBytes { v in
                try key.withUnsafeBytes { k in try batch.append(key: k, value: v, partition: partition) }
            }
        }
        try producer.produce(batch)
        try producer.flush(timeoutMs: 20_000)
        #expect(producer.statistics.delivered == count)
        var partitionOfKeyed: [String: Int32] = [:]
        var seen = 0
        for partition in Int32(0)..<4 {
            let values = try KafkaTestSupport.consumeValues(topic: "placed", partitions: [partition], count: 0, cluster: cluster)
            let indices = values.compactMap { Int($0.dropFirst("value-".count)) }
            #expect(indices == indices.sorted(), "partition \(partition) keeps the batch's order")
            seen += indices.count
            for index in indices {
                if index % 5 == 0 {
                    let key = "key-\(index % 7)"
                    #expect(partitionOfKeyed[key, default: partition] == partition, "one key, one partition")
                    partitionOfKeyed[key] = partition
                } else {
                    #expect(Int32(index % 4) == partition, "record \(index) named partition \(index % 4)")
                }
            }
        }
        #expect(partitionOfKeyed.count == 7)
        #expect(seen == count)
    }

    @Test("a record librdkafka refuses for good fails the batch; every record is either delivered or counted failed")
    func refusedRecord() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("sizes", partitions: 1)
        let pool = BatchPool(batchCount: 1, arenaBytes: 1 << 16, maxRecords: 16)
        nonisolated(unsafe) var completed: RecordBatch?
        let producer = try Producer(
            topic: "sizes", configuration: KafkaTestSupport.producerConfig(cluster, ["message.max.bytes": "1000"])
        ) { completed = $0 }
        let batch = try #require(pool.tryAcquire())
        for index in 0..<10 {
            let length = index == 4 ? 5000 : 10
            _ = try batch.append(keyLength: -1, valueLength: length) { _, v in v.initializeMemory(as: UInt8.self, repeating: 65) }
        }
        #expect(throws: KafkaError.self) { try producer.produce(batch) }
        try producer.flush(timeoutMs: 10_000)
        #expect(producer.statistics.failed + producer.statistics.delivered == 10)
        // Nothing is dropped silently: each record is reported delivered or counted failed.
        #expect(producer.statistics.failed >= 1)
        #expect(producer.statistics.delivered >= 4, "the records before it")
        #expect(producer.statistics.firstError?.contains("too large") == true, "\(producer.statistics.firstError ?? "")")
        #expect(completed === batch)
        #expect(batch.failedDeliveries == producer.statistics.failed)
    }

    @Test("a flush that cannot finish in time says how many records are outstanding")
    func flushTimesOut() throws {
        let cluster = try EmbeddedKafka(brokers: 1)
        try cluster.createTopic("slow", partitions: 1)
        try cluster.setBrokerDown(1)
        let pool = BatchPool(batchCount: 1, arenaBytes: 4096, maxRecords: 16)
        let producer = try Producer(
            topic: "slow", configuration: KafkaTestSupport.producerConfig(cluster, ["message.timeout.ms": "30000"])
        ) { pool.release($0) }
        let batch = try #require(pool.tryAcquire())
        for _ in 0..<3 { _ = try batch.append(keyLength: -1, valueLength: 1) { _, v in v[0] = 0 } }
        try producer.produce(batch)
        #expect(throws: KafkaError.flushTimedOut(outstanding: 3, timeoutMs: 200)) { try producer.flush(timeoutMs: 200) }
        try cluster.setBrokerUp(1)
        try producer.flush(timeoutMs: 30_000)
        #expect(producer.statistics.delivered == 3)
    }

    @Test("an unreachable cluster fails within the timeout, naming the address")
    func unreachable() throws {
        var config = KafkaConfiguration(bootstrapServers: "127.0.0.1:1")
        config["log_level"] = "0"
        let producer = try Producer(topic: "nowhere", configuration: config) { _ in }
        let start = MonotonicClock.nanoseconds()
        #expect {
            _ = try producer.checkReachable(timeoutMs: 1_500)
        } throws: { error in
            "\(error)".contains("cannot reach Kafka at 127.0.0.1:1 within 1500 ms")
        }
        #expect(MonotonicClock.nanoseconds() - start < 10_000_000_000)
    }

    @Test("embedded cluster: bad topic and broker requests are errors")
    func embeddedErrors() throws {
        let cluster = try EmbeddedKafka(brokers: 2)
        #expect(throws: KafkaError.self) { try cluster.createTopic("t", partitions: 1, replicationFactor: 3) }
        #expect(throws: KafkaError.self) { try cluster.createTopic("t", partitions: 0) }
        #expect(throws: KafkaError.self) { try cluster.setBrokerDown(3) }
        #expect(throws: KafkaError.self) { try EmbeddedKafka(brokers: 0) }
        let consumer = try Consumer(configuration: KafkaTestSupport.producerConfig(cluster))
        try cluster.createTopic("six", partitions: 6)
        #expect(try consumer.partitions(of: "six", timeoutMs: 5_000) == [0, 1, 2, 3, 4, 5])
    }
}

private func sleepMilliseconds(milliseconds: Int) {
    usleep(useconds_t(milliseconds * 1000))
}

#if canImport(Glibc)
import Glibc
#endif
