import Atomics
import SluiceConnectors
import SluiceCore
import SluiceKafka
import Synchronization

/// Reads a datagen topic from the beginning on its own thread and checks that every
/// (task, sequence) arrives exactly once.
///
/// It can run while the topic is written, which the embedded cluster needs: the
/// mock broker keeps only the newest 5 MiB (and 100,000 message sets) of each
/// partition (librdkafka 2.0.2, `rdkafka_mock.c`), so records must be read before
/// they age out. If they age out first, the consumer's offset falls off the log; the
/// verifier sees that (`auto.offset.reset=error`) and reports the check as
/// incomplete instead of calling the records lost.
final class TopicVerifier: @unchecked Sendable {
    /// The outcome of a verification.
    struct Outcome: Sendable {
        var report: DatagenVerifier.Report
        /// Whether the broker dropped records before they were read.
        var truncated: Bool
    }

    private let topic: String
    private let consumer: Consumer
    private let partitions: [Int32]
    private let state: Mutex<DatagenVerifier>
    private let truncated = ManagedAtomic<Bool>(false)
    private let stopRequested = ManagedAtomic<Bool>(false)
    private let consumed = ManagedAtomic<Int>(0)
    private var thread: PinnedThread?

    /// Starts reading `topic` from the beginning; `expected[i]` is task i's record count
    /// (an empty list only counts records).
    init(topic: String, expected: [Int], bootstrapServers: String) throws {
        self.topic = topic
        var config = KafkaConfiguration(bootstrapServers: bootstrapServers).merging(.logSilenced)
        config["auto.offset.reset"] = "error"
        config["enable.auto.commit"] = "false"
        // Large fetches and short waits: the reader has to stay within the mock
        // broker's 5 MiB window of each partition.
        config["max.partition.fetch.bytes"] = "4194304"
        config["fetch.wait.max.ms"] = "10"
        config["queued.max.messages.kbytes"] = "262144"
        consumer = try Consumer(configuration: config)
        partitions = try consumer.partitions(of: topic, timeoutMs: 10_000)
        state = Mutex(DatagenVerifier(expected: expected))
        try consumer.assign(topic: topic, partitions: partitions, from: .beginning)
        thread = try PinnedThread(name: "sluice-verify") { [self] in consumeLoop() }
    }

    private func consumeLoop() {
        let batch = ConsumedBatch(capacity: 10_000)
        while !stopRequested.load(ordering: .acquiring) {
            guard let got = try? consumer.poll(into: batch, timeoutMs: 100), got > 0 else { continue }
            var records = 0
            state.withLock { verifier in
                for i in 0..<got {
                    let record = batch[i]
                    if record.error != nil {
                        if record.isOffsetOutOfRange { truncated.store(true, ordering: .relaxed) }
                        continue
                    }
                    verifier.observe(value: record.value)
                    records += 1
                }
            }
            consumed.wrappingIncrement(by: records, ordering: .releasing)
        }
        batch.releaseMessages()
    }

    /// Stops reading without an outcome (for a run that ended before its result was asked).
    func cancel() {
        stopRequested.store(true, ordering: .releasing)
        thread?.join()
    }

    /// Waits until everything up to the partitions' current end has been read
    /// (the writers must have finished), then stops and returns the outcome.
    /// - Throws: ``BenchError/verificationStalled(topic:seen:expected:)`` when reading
    ///   makes no progress for `stallTimeoutNanos`.
    func finish(stallTimeoutNanos: UInt64 = 10_000_000_000) throws -> Outcome {
        defer {
            stopRequested.store(true, ordering: .releasing)
            thread?.join()
        }
        var end = 0
        for partition in partitions {
            end += Int(try consumer.watermarks(topic: topic, partition: partition, timeoutMs: 10_000).high)
        }
        var lastCount = -1
        var lastProgress = MonotonicClock.nanoseconds()
        while true {
            let count = consumed.load(ordering: .acquiring)
            // Reading starts at offset 0, so a complete read holds `end` records.
            if truncated.load(ordering: .relaxed) || count >= end { break }
            if count != lastCount {
                lastCount = count
                lastProgress = MonotonicClock.nanoseconds()
            } else if MonotonicClock.nanoseconds() - lastProgress > stallTimeoutNanos {
                // A log start past 0 means records were deleted before they were read.
                for partition in partitions
                where try consumer.watermarks(topic: topic, partition: partition, timeoutMs: 10_000).low > 0 {
                    truncated.store(true, ordering: .relaxed)
                }
                if truncated.load(ordering: .relaxed) { break }
                throw BenchError.verificationStalled(topic: topic, seen: count, expected: end)
            }
            usleep(20_000)
        }
        // A short grace period, so that duplicates beyond the end are seen too.
        usleep(200_000)
        return Outcome(report: state.withLock { $0.report }, truncated: truncated.load(ordering: .relaxed))
    }
}

#if canImport(Glibc)
import Glibc
#endif
