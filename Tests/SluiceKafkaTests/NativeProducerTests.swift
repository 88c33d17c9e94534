import Foundation
import SluiceCore
import Testing

@testable import SluiceKafka

@Suite("The native produce path against the embedded cluster")
struct NativeProducerTests {
    /// Writes `count` records (key "key-i" unless `nullKeys`, value "value-i", a
    /// header on every tenth, an explicit timestamp on every seventh) through `producer`.
    static func write(
        count: Int, into producer: any BatchProducer, pool: BatchPool, nullKeys: Bool = false
    ) throws {
        var next = 0
        var idle = IdleStrategy(.busySpin)
        while next < count {
            let batch = pool.acquire(idle: &idle) { producer.poll(timeoutMs: 10); return true }!
            while next < count {
                let key = Array("key-\(next)".utf8)
                let value = Array("value-\(next)".utf8)
                let headers = next % 10 == 0 ? [RecordHeader(name: "n", value: Array(String(next).utf8)), RecordHeader(name: "null", value: nil)] : []
                let timestamp: Int64 = next % 7 == 0 ? 1_600_000_000_000 + Int64(next) : 0
                let ok = try value.withUnsafeBytes { v in
                    try key.withUnsafeBytes { k in
                        try batch.append(key: nullKeys ? nil : k, value: v, headers: headers, timestampMs: timestamp)
                    }
                }
                if !ok { break }
                next += 1
            }
            try producer.produce(batch)
        }
        try producer.flush(timeoutMs: 60_000)
    }

    struct Read {
        var key: [UInt8]?
        var value: [UInt8]
        var headers: [RecordHeader]
        var timestampMs: Int64?
        var partition: Int32
        var offset: Int64
    }

    /// Everything in `topic`, read with librdkafka's consumer.
    static func readAll(topic: String, cluster: EmbeddedKafka, expect count: Int) throws -> [Read] {
        let consumer = try Consumer(configuration: KafkaTestSupport.producerConfig(cluster))
        let partitions = try consumer.partitions(of: topic, timeoutMs: 10_000)
        try consumer.assign(topic: topic, partitions: partitions, from: .beginning)
        let batch = ConsumedBatch(capacity: 5_000)
        var records: [Read] = []
        var quiet = 0
        while records.count < count || quiet < 5 {
            try consumer.poll(into: batch, timeoutMs: 100)
            if batch.count == 0 { quiet += 1 } else { quiet = 0 }
            for i in 0..<batch.count {
                let message = batch[i]
                if let error = message.error { Issue.record("consumer error: \(error)"); continue }
                records.append(
                    Read(
                        key: message.key.map { Array($0) }, value: message.value.map { Array($0) } ?? [],
                        headers: message.headers, timestampMs: message.timestampMs, partition: message.partition,
                        offset: message.offset))
            }
            if quiet > 100 { break }
        }
        return records
    }

    @Test("every record arrives once, byte-identical (keys, values, headers, timestamps), in order per partition", arguments: ["none", "lz4", "zstd"])
    func roundTrip(codec: String) throws {
        let cluster = try EmbeddedKafka(brokers: 1)
        try cluster.createTopic("native", partitions: 4)
        let pool = BatchPool(batchCount: 4, arenaBytes: 256 << 10, maxRecords: 4000)
        nonisolated(unsafe) var completed = 0
        let producer = try NativeProducer(
            topic: "native", configuration: KafkaTestSupport.producerConfig(cluster, ["compression.type": codec, "batch.size": "65536"])
        ) { batch in
            completed += 1
            pool.release(batch)
        }
        let count = 30_000
        let before = Int64(Date.now.timeIntervalSince1970 * 1000)
        try Self.write(count: count, into: producer, pool: pool)
        #expect(producer.statistics.delivered == count)
        #expect(producer.statistics.failed == 0, "\(producer.statistics.firstError ?? "")")
        #expect(producer.outstanding == 0)
        #expect(completed > 0)
        let records = try Self.readAll(topic: "native", cluster: cluster, expect: count)
        #expect(records.count == count)
        var seen = Set<Int>()
        var lastPerPartition: [Int32: Int] = [:]
        for record in records {
            let text = String(decoding: record.value, as: UTF8.self)
            let index = try #require(Int(text.dropFirst("value-".count)))
            #expect(seen.insert(index).inserted, "record \(index) twice")
            #expect(record.key == Array("key-\(index)".utf8))
            if let last = lastPerPartition[record.partition] { #expect(last < index, "order within partition \(record.partition)") }
            lastPerPartition[record.partition] = index
            #expect(
                record.partition
                    == Partitioner.consistentRandom.partition(
                        key: Array("key-\(index)".utf8).withUnsafeBytes { $0.baseAddress! }, keyLength: Int32("key-\(index)".utf8.count), partitions: 4))
            if index % 10 == 0 {
                #expect(record.headers == [RecordHeader(name: "n", value: Array(String(index).utf8)), RecordHeader(name: "null", value: nil)])
            } else {
                #expect(record.headers.isEmpty)
            }
            if index % 7 == 0 {
                #expect(record.timestampMs == 1_600_000_000_000 + Int64(index))
            } else {
                #expect((record.timestampMs ?? 0) >= before - 1000)
            }
        }
        #expect(seen.count == count)
    }

    @Test("kcat reads back exactly what the task wrote: keys, values, headers and timestamps, for every codec", arguments: ["none", "lz4", "zstd"])
    func kcatReadsBack(codec: String) throws {
        let cluster = try EmbeddedKafka(brokers: 1)
        try cluster.createTopic("for-kcat", partitions: 2)
        let pool = BatchPool(batchCount: 2, arenaBytes: 64 << 10, maxRecords: 1000)
        let producer = try NativeProducer(
            topic: "for-kcat", configuration: KafkaTestSupport.producerConfig(cluster, ["compression.type": codec])
        ) { pool.release($0) }
        let count = 2_000
        var expected = Set<String>()
        var next = 0
        var idle = IdleStrategy(.busySpin)
        while next < count {
            let batch = pool.acquire(idle: &idle) { producer.poll(timeoutMs: 10); return true }!
            while next < count {
                let key = Array("k-\(next)".utf8)
                let value = Array("v-\(next)-\(String(repeating: "x", count: next % 50))".utf8)
                let headers = [RecordHeader(name: "h", value: Array(String(next).utf8)), RecordHeader(name: "src", value: Array("sluice".utf8))]
                let timestamp = 1_600_000_000_000 + Int64(next)
                let ok = try key.withUnsafeBytes { k in
                    try value.withUnsafeBytes { v in try batch.append(key: k, value: v, headers: headers, timestampMs: timestamp) }
                }
                if !ok { break }
                expected.insert("k-\(next)\tv-\(next)-\(String(repeating: "x", count: next % 50))\t\(timestamp)\th=\(next),src=sluice")
                next += 1
            }
            try producer.produce(batch)
        }
        try producer.flush(timeoutMs: 30_000)
        #expect(producer.statistics.delivered == count)
        let kcat = Process()
        kcat.executableURL = URL(fileURLWithPath: "/usr/bin/kcat")
        kcat.arguments = ["-C", "-b", cluster.bootstrapServers, "-t", "for-kcat", "-o", "beginning", "-e", "-q", "-X", "log_level=0",
                          "-f", "%k\\t%s\\t%T\\t%h\\n"]
        let out = Pipe()
        kcat.standardOutput = out
        kcat.standardError = FileHandle.nullDevice
        try kcat.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        kcat.waitUntilExit()
        #expect(kcat.terminationStatus == 0)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == count)
        #expect(Set(lines) == expected, "\(Set(lines).subtracting(expected).prefix(2)) vs \(expected.subtracting(lines).prefix(2))")
    }

    @Test("null keys stick to one partition per task batch and every record arrives")
    func nullKeysStick() throws {
        let cluster = try EmbeddedKafka(brokers: 1)
        try cluster.createTopic("sticky", partitions: 8)
        let pool = BatchPool(batchCount: 2, arenaBytes: 64 << 10, maxRecords: 500)
        let producer = try NativeProducer(topic: "sticky", configuration: KafkaTestSupport.producerConfig(cluster)) { pool.release($0) }
        try Self.write(count: 5_000, into: producer, pool: pool, nullKeys: true)
        let records = try Self.readAll(topic: "sticky", cluster: cluster, expect: 5_000)
        #expect(records.count == 5_000)
        // Records of one task batch (500 each) share a partition.
        let byIndex = Dictionary(uniqueKeysWithValues: records.map { (Int(String(decoding: $0.value.dropFirst(6), as: UTF8.self))!, $0.partition) })
        for start in stride(from: 0, to: 5_000, by: 500) {
            #expect(Set((start..<start + 500).map { byIndex[$0] }).count == 1, "task batch at \(start)")
        }
        #expect(Set(byIndex.values).count > 1, "different task batches land on different partitions")
    }

    @Test("every key lands in the same partition through librdkafka and the native path", arguments: Partitioner.allCases.filter { $0 != .random })
    func partitionParity(partitioner: Partitioner) throws {
        let cluster = try EmbeddedKafka(brokers: 1)
        try cluster.createTopic("via-librdkafka", partitions: 7)
        try cluster.createTopic("via-native", partitions: 7)
        let count = 500
        let extra = ["partitioner": partitioner.rawValue]
        _ = try KafkaTestSupport.produce(count: count, topic: "via-librdkafka", cluster: cluster, extra: extra)
        let pool = BatchPool(batchCount: 2, arenaBytes: 64 << 10, maxRecords: 1000)
        let native = try NativeProducer(topic: "via-native", configuration: KafkaTestSupport.producerConfig(cluster, extra)) { pool.release($0) }
        try Self.write(count: count, into: native, pool: pool)
        func partitions(_ topic: String) throws -> [String: Int32] {
            Dictionary(uniqueKeysWithValues: try Self.readAll(topic: topic, cluster: cluster, expect: count).map {
                (String(decoding: $0.key ?? [], as: UTF8.self), $0.partition)
            })
        }
        let expected = try partitions("via-librdkafka")
        let actual = try partitions("via-native")
        #expect(expected.count == count && actual.count == count)
        #expect(Set(expected.values).count > 3, "keys spread over the partitions")
        let differing = expected.filter { actual[$0.key] != $0.value }
        #expect(differing.isEmpty, "\(differing.count) keys differ, e.g. \(differing.prefix(3))")
    }

    @Test("retriable broker errors and dropped connections are retried: nothing lost, nothing failed")
    func retriesAfterErrors() throws {
        let cluster = try EmbeddedKafka(brokers: 1)
        try cluster.createTopic("flaky", partitions: 2)
        let pool = BatchPool(batchCount: 4, arenaBytes: 64 << 10, maxRecords: 1000)
        let producer = try NativeProducer(
            topic: "flaky", configuration: KafkaTestSupport.producerConfig(cluster, ["retry.backoff.ms": "10", "batch.size": "16384"])
        ) { pool.release($0) }
        // NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT, NOT_ENOUGH_REPLICAS, then a dropped connection.
        cluster.injectErrors(apiKey: 0, codes: [6, 7, 19, -195, 6])
        try Self.write(count: 20_000, into: producer, pool: pool)
        #expect(producer.statistics.failed == 0, "\(producer.statistics.firstError ?? "")")
        #expect(producer.statistics.delivered == 20_000)
        #expect(producer.batchesRetried > 0)
        let records = try Self.readAll(topic: "flaky", cluster: cluster, expect: 20_000)
        let values = Set(records.map { String(decoding: $0.value, as: UTF8.self) })
        #expect(values.count == 20_000, "every acknowledged record is in the log")
    }

    @Test("a broker error retrying cannot fix fails the batch with topic, partition and error named", arguments: [(Int16(10), "MESSAGE_TOO_LARGE"), (2, "CORRUPT_MESSAGE"), (87, "INVALID_RECORD"), (29, "TOPIC_AUTHORIZATION_FAILED")])
    func fatalBrokerErrors(code: Int16, name: String) throws {
        let cluster = try EmbeddedKafka(brokers: 1)
        try cluster.createTopic("refused", partitions: 1)
        let pool = BatchPool(batchCount: 1, arenaBytes: 4096, maxRecords: 16)
        nonisolated(unsafe) var completed: RecordBatch?
        let producer = try NativeProducer(topic: "refused", configuration: KafkaTestSupport.producerConfig(cluster)) { completed = $0 }
        cluster.injectErrors(apiKey: 0, codes: [code])
        let batch = try #require(pool.tryAcquire())
        for _ in 0..<5 { _ = try batch.append(keyLength: -1, valueLength: 4) { _, v in v.initializeMemory(as: UInt8.self, repeating: 1) } }
        try producer.produce(batch)
        try producer.flush(timeoutMs: 10_000)
        #expect(completed === batch)
        #expect(batch.failedDeliveries == 5)
        #expect(producer.statistics.failed == 5)
        let reason = try #require(batch.firstDeliveryError)
        #expect(reason.contains("'refused' partition 0") && reason.contains(name), "\(reason)")
        // The producer refuses further records instead of going on past the gap.
        let next = RecordBatch(arenaBytes: 1024, maxRecords: 2)
        _ = try next.append(keyLength: -1, valueLength: 1) { _, _ in }
        #expect(throws: NativeProducerError.self) { try producer.produce(next) }
        #expect(next.failedDeliveries == 1)
    }

    @Test("bad input: a record over batch.size, a partition the topic lacks, an unknown partitioner, an unreachable cluster")
    func badInput() throws {
        let cluster = try EmbeddedKafka(brokers: 1)
        try cluster.createTopic("strict", partitions: 2)
        let producer = try NativeProducer(topic: "strict", configuration: KafkaTestSupport.producerConfig(cluster, ["batch.size": "1000"])) { _ in }
        let big = RecordBatch(arenaBytes: 8192, maxRecords: 2)
        _ = try big.append(keyLength: -1, valueLength: 5000) { _, _ in }
        do {
            try producer.produce(big)
            Issue.record("a record over batch.size must be refused")
        } catch {
            #expect("\(error)".contains("'strict'") && "\(error)".contains("batch.size (1000 bytes)"), "\(error)")
        }
        #expect(big.failedDeliveries == 1)
        let requestLimited = try NativeProducer(
            topic: "strict", configuration: KafkaTestSupport.producerConfig(cluster, ["message.max.bytes": "2000"])) { _ in }
        let overRequest = RecordBatch(arenaBytes: 8192, maxRecords: 2)
        _ = try overRequest.append(keyLength: -1, valueLength: 5000) { _, _ in }
        do {
            try requestLimited.produce(overRequest)
            Issue.record("a record over message.max.bytes must be refused")
        } catch {
            #expect("\(error)".contains("'strict'") && "\(error)".contains("message.max.bytes"), "\(error)")
        }
        let wrong = RecordBatch(arenaBytes: 1024, maxRecords: 2)
        _ = try wrong.append(key: nil, value: nil, partition: 5)
        #expect(throws: NativeProducerError.unknownPartition(topic: "strict", partition: 5, partitions: 2)) { try producer.produce(wrong) }

        #expect(throws: NativeProducerError.self) {
            _ = try NativeProducer(topic: "strict", configuration: KafkaTestSupport.producerConfig(cluster, ["partitioner": "sticky"])) { _ in }
        }
        var config = KafkaConfiguration(bootstrapServers: "127.0.0.1:1")
        config["delivery.timeout.ms"] = "1500"
        let unreachable = try NativeProducer(topic: "x", configuration: config) { _ in }
        let started = MonotonicClock.nanoseconds()
        let records = RecordBatch(arenaBytes: 1024, maxRecords: 2)
        _ = try records.append(key: nil, value: nil)
        do {
            try unreachable.produce(records)
            Issue.record("an unreachable cluster must fail the records")
        } catch {
            #expect("\(error)".contains("cannot reach Kafka at 127.0.0.1:1"), "\(error)")
        }
        #expect(records.failedDeliveries == 1)
        let elapsed = MonotonicClock.nanoseconds() - started
        #expect(elapsed >= 1_400_000_000 && elapsed < 5_000_000_000, "gives up after delivery.timeout.ms")
    }

    @Test("the leader taken down and brought back mid-run: every acknowledged record is in the log, in order")
    func brokerDownAndUp() async throws {
        let cluster = try EmbeddedKafka(brokers: 3)
        try cluster.createTopic("failover", partitions: 3, replicationFactor: 3)
        for partition in 0..<3 { try cluster.setPartitionLeader(topic: "failover", partition: partition, broker: 1) }
        let pool = BatchPool(batchCount: 4, arenaBytes: 64 << 10, maxRecords: 1000)
        let producer = try NativeProducer(
            topic: "failover", configuration: KafkaTestSupport.producerConfig(cluster, ["batch.size": "16384", "delivery.timeout.ms": "60000"])
        ) { pool.release($0) }
        try Self.write(count: 10_000, into: producer, pool: pool)
        try cluster.setBrokerDown(1)
        let writer = Task.detached { try Self.write(count: 10_000, into: producer, pool: pool) }
        try await Task.sleep(for: .milliseconds(1500))
        try cluster.setBrokerUp(1)
        try await writer.value
        #expect(producer.statistics.failed == 0, "\(producer.statistics.firstError ?? "")")
        #expect(producer.statistics.delivered == 20_000)
        let records = try Self.readAll(topic: "failover", cluster: cluster, expect: 20_000)
        let values = records.map { String(decoding: $0.value, as: UTF8.self) }
        #expect(Set(values).count == 10_000, "both rounds wrote value-0...value-9999")
        #expect(values.count >= 20_000)
    }
}
