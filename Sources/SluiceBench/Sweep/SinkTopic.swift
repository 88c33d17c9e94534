import SluiceCore
import SluiceKafka

/// The topic a sink sweep's rows read: filled once per record size and codec with
/// datagen's keys and values through the raw librdkafka loop.
struct SinkTopic {
    let name: String
    /// Records in it, all readable.
    let records: Int
    let recordSize: Int
    let codec: String

    /// Creates and fills the topic. On the embedded cluster, which keeps the newest
    /// 5 MiB of each partition, the count is capped so that every record stays readable.
    static func fill(
        plan: SweepPlan, cluster: RunningCluster, tag: String, recordSize: Int, codec: String, output: BenchOutput
    ) throws -> SinkTopic {
        let name = "sweep-sink-\(tag)"
        let partitions = plan.topicPartitions
        try cluster.broker?.createTopic(name, partitions: partitions)
        var count = plan.records ?? 2_000_000
        if cluster.broker != nil {
            let capacity = partitions * (4 << 20) / (recordSize + 10 + 40)
            if count > capacity {
                output.diagnostics("sluice bench: \(count) records of \(recordSize) bytes do not fit the embedded broker's \(partitions) × 5 MiB; reading \(capacity) (raise --partitions for more)\n")
                count = capacity
            }
        }
        var config = cluster.producer
        config["compression.type"] = codec
        config["sticky.partitioning.linger.ms"] = "0"
        let setup = BenchRunSetup(
            tasks: 1, records: count, recordSize: recordSize, keyCardinality: plan.keyCardinality, codec: codec,
            mode: .direct, cpus: plan.cpus ?? CPUSet.available(), idle: plan.idle, batchBytes: plan.batchBytes,
            batchCount: plan.batchCount, producer: config)
        _ = try RawBenchRun.measure(setup, topic: name)
        return SinkTopic(name: name, records: count, recordSize: recordSize, codec: codec)
    }

    /// `kcat -C` reading the whole topic, the sink direction's peer; `nil` without kcat.
    func measureReader(cluster: RunningCluster) throws -> PeerFigures? {
        var peer: PeerFigures?
        try PeerRun.withFolder { folder in
            peer = try PeerRun.consume(
                topic: name, records: records, recordSize: recordSize, codec: codec,
                bootstrap: cluster.bootstrapServers, folder: folder)
        }
        return peer
    }
}
