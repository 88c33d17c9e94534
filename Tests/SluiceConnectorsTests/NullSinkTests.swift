import SluiceConnectors
import SluiceCore
import SluiceKafka
import SluiceRuntime
import Testing

@Suite("Null sink")
struct NullSinkTests {
    @Test("with verify.datagen it finds gaps and duplicates in what it is given")
    func verifies() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("d", partitions: 1)
        var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        config["log_level"] = "0"
        let pool = BatchPool(batchCount: 1, arenaBytes: 1 << 16, maxRecords: 100)
        let producer = try Producer(topic: "d", configuration: config) { pool.release($0) }
        let batch = try #require(pool.tryAcquire())
        // Task 0 writes 0...9 but 5 is lost and 7 is duplicated; one value has no stamp.
        for sequence: UInt64 in [0, 1, 2, 3, 4, 6, 7, 7, 8, 9] {
            _ = try batch.append(keyLength: -1, valueLength: 16) { _, value in
                DatagenRecordLayout.writeStamp(taskID: 0, sequence: sequence, into: value)
            }
        }
        _ = try batch.append(keyLength: -1, valueLength: 3) { _, value in value.copyBytes(from: [1, 2, 3]) }
        try producer.produce(batch)
        try producer.flush(timeoutMs: 10_000)

        let task = NullSinkTask()
        try task.start(context: TaskContext(connectorName: "n", taskID: 0, config: ["verify.datagen": "true"]))
        let consumer = try Consumer(configuration: config)
        try consumer.assign(topic: "d", partitions: [0])
        let consumed = ConsumedBatch(capacity: 100)
        var total = 0
        for _ in 0..<100 where total < 11 {
            total += try consumer.poll(into: consumed, timeoutMs: 50)
            try task.put(consumed)
        }
        #expect(task.records.load(ordering: .relaxed) == 11)
        let result = task.verification
        #expect(result.gaps == 1)
        #expect(result.duplicates == 1)
        #expect(result.unstamped == 1)
    }
}
