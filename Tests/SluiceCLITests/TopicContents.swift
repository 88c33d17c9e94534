import SluiceKafka

/// Every record of a topic up to the end offsets it has when the read starts, read
/// with librdkafka's consumer: (partition, value) in log order per partition.
enum TopicContents {
    static func read(_ topic: String, bootstrap: String) throws -> [(partition: Int32, value: [UInt8]?)] {
        var config = KafkaConfiguration(bootstrapServers: bootstrap)
        config["log_level"] = "0"
        config["enable.auto.commit"] = "false"
        let consumer = try Consumer(configuration: config)
        let partitions = try consumer.partitions(of: topic, timeoutMs: 10_000)
        var ends: [Int32: Int64] = [:]
        for partition in partitions { ends[partition] = try consumer.watermarks(topic: topic, partition: partition, timeoutMs: 10_000).high }
        try consumer.assign(topic: topic, partitions: partitions, from: .beginning)
        let batch = ConsumedBatch(capacity: 10_000)
        var records: [(Int32, [UInt8]?)] = []
        var reached = Set(ends.filter { $0.value == 0 }.keys)
        var quiet = 0
        while reached.count < partitions.count && quiet < 50 {
            let got = try consumer.poll(into: batch, timeoutMs: 100)
            quiet = got == 0 ? quiet + 1 : 0
            for i in 0..<got where batch[i].error == nil {
                let record = batch[i]
                guard record.offset < ends[record.partition] ?? 0 else { continue }
                if record.offset + 1 >= ends[record.partition] ?? 0 { reached.insert(record.partition) }
                records.append((record.partition, record.value.map { Array($0) }))
            }
        }
        return records
    }
}
