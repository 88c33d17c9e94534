import Foundation
import SluiceCore
import SluiceKafka

/// The cluster and options shared by every run of one benchmark; measures rows
/// (Sluice and the raw baseline, repeated, in alternating order).
struct BenchSession {
    let cluster: RunningCluster
    let plan: BenchPlan
    let tag: String
    let output: BenchOutput
    /// Whether Sluice's runs are read back (off for the warm-up).
    var verify: Bool
    private var topicCount = 0

    init(cluster: RunningCluster, plan: BenchPlan, output: BenchOutput, tag: String) {
        self.cluster = cluster
        self.plan = plan
        self.output = output
        self.tag = tag
        verify = plan.verify
    }

    private var broker: (any EmbeddedBroker)? { cluster.broker }
    private var skipRaw: Bool { plan.skipRaw }
    private var repeats: Int { plan.repeats }

    /// Continues topic numbering after a copy of this session made topics.
    mutating func skipTopics(_ other: BenchSession) {
        topicCount = max(topicCount, other.topicCount)
    }

    private mutating func newTopic(_ kind: String, configuration: KafkaConfiguration) throws -> String {
        topicCount += 1
        let topic = "sluice-\(kind)-\(tag)-\(topicCount)"
        try cluster.createTopic(topic, partitions: plan.partitions, configuration: configuration)
        return topic
    }

    /// One row: Sluice and the raw loop `repeats` times each, alternating which goes
    /// first, so that drift in the machine's speed falls on both alike. The row keeps
    /// the Sluice run with the median records/s and the raw loop's median; lost and
    /// duplicates add up over every verified Sluice run.
    mutating func row(_ setup: BenchRunSetup) throws -> BenchRow {
        var sluiceRuns: [BenchRow] = []
        var rawRuns: [BenchRow.RawFigures] = []
        for attempt in 0..<repeats {
            let rawFirst = attempt % 2 == 1
            if rawFirst, !skipRaw { rawRuns.append(try raw(setup)) }
            sluiceRuns.append(try sluice(setup))
            if !rawFirst, !skipRaw { rawRuns.append(try raw(setup)) }
        }
        var row = sluiceRuns.sorted { $0.recordsPerSecond < $1.recordsPerSecond }[sluiceRuns.count / 2]
        if !rawRuns.isEmpty {
            row.raw = rawRuns.sorted { $0.recordsPerSecond < $1.recordsPerSecond }[rawRuns.count / 2]
        }
        if verify {
            row.lost = sluiceRuns.reduce(0) { $0 + ($1.lost ?? 0) }
            row.duplicates = sluiceRuns.reduce(0) { $0 + ($1.duplicates ?? 0) }
        }
        row.repeats = repeats
        return row
    }

    /// Sluice's datagen tasks on a fresh topic, verified when asked.
    mutating func sluice(_ setup: BenchRunSetup) throws -> BenchRow {
        let topic = try newTopic("bench", configuration: setup.producer)
        // The embedded broker verifies while the topic is written (it keeps only the
        // newest 5 MiB of each partition); a real cluster is read back afterwards.
        if verify, let broker { try broker.watch(topic, expected: setup.recordsPerTask) }
        let brokerBefore = brokerCPUSeconds()
        var row = try SluiceBenchRun.measure(setup, topic: topic, output: output)
        if let before = brokerBefore, let after = brokerCPUSeconds() { row.brokerBusy = (after - before) / row.seconds }
        guard verify else { return row }
        let outcome: TopicVerifier.Outcome
        if let broker {
            outcome = try broker.result(topic)
        } else {
            outcome = try TopicVerifier(topic: topic, expected: setup.recordsPerTask, bootstrapServers: cluster.bootstrapServers)
                .finish()
        }
        if outcome.truncated {
            throw BenchError.runFailed(
                "verification of '\(topic)' is incomplete: the embedded broker dropped records before they were read (it keeps the newest 5 MiB of each partition); raise --partitions or lower --records")
        }
        row.lost = outcome.report.lost
        row.duplicates = outcome.report.duplicates + outcome.report.unexpected
        return row
    }

    /// The embedded broker process's CPU seconds so far, when it is a child process.
    private func brokerCPUSeconds() -> Double? {
        guard let broker, broker.processIdentifier != getpid() else { return nil }
        return ProcessCPU.seconds(pid: broker.processIdentifier)
    }

    /// The raw librdkafka loop on a fresh topic.
    mutating func raw(_ setup: BenchRunSetup) throws -> BenchRow.RawFigures {
        let topic = try newTopic("raw", configuration: setup.producer)
        // The same reading load as a verified Sluice run keeps the ratio fair; only
        // the load matters, the raw loop's values carry no stamps.
        if verify, let broker { try broker.watch(topic, expected: []) }
        let brokerBefore = brokerCPUSeconds()
        let start = MonotonicClock.nanoseconds()
        var figures = try RawBenchRun.measure(setup, topic: topic)
        if let before = brokerBefore, let after = brokerCPUSeconds() {
            figures.brokerBusy = (after - before) / (Double(MonotonicClock.nanoseconds() - start) / 1e9)
        }
        if verify, let broker { _ = try? broker.result(topic) }
        return figures
    }
}
