import Atomics
import SluiceConnectors
import SluiceCore
import SluiceKafka
import Synchronization

/// Measures the raw librdkafka loop on one row's records: one loop thread per task.
enum RawBenchRun {
    static func measure(_ setup: BenchRunSetup, topic: String) throws -> BenchRow.RawFigures {
        let results = Mutex<[Result<RawProduceLoop.Result, any Error>]>([])
        let shares = setup.recordsPerTask
        let payload = DatagenRecordLayout.filler
        let keys = DatagenRecordLayout.keys(cardinality: setup.keyCardinality)
        var tuned = setup.producer
        for (name, value) in RawProduceLoop.tunedSettings where tuned[name] == nil { tuned[name] = value }
        let producer = tuned
        ProcessStats.resetPeakRSS()
        let cpuBefore = ProcessStats.cpuSeconds()
        let start = MonotonicClock.nanoseconds()
        var threads: [PinnedThread] = []
        for (index, share) in shares.enumerated() {
            threads.append(try PinnedThread(name: "sluice-raw-\(index)", cpu: setup.cpus.cpu(forThread: index)) {
                let outcome = Result {
                    try RawProduceLoop.run(
                        topic: topic, configuration: producer, records: share, recordSize: setup.recordSize,
                        keys: keys, payload: payload)
                }
                results.withLock { $0.append(outcome) }
            })
        }
        for thread in threads { thread.join() }
        let seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9
        let cpu = ProcessStats.cpuSeconds() - cpuBefore
        let peak = Double(ProcessStats.peakRSSBytes()) / 1_048_576
        var delivered = 0
        for outcome in results.withLock({ $0 }) {
            let result = try outcome.get()
            if result.failed > 0 {
                throw BenchError.runFailed("the raw baseline lost \(result.failed) records: \(result.firstError ?? "unknown")")
            }
            delivered += result.delivered
        }
        return BenchRow.RawFigures(
            recordsPerSecond: Double(delivered) / seconds,
            cpuSecondsPerMillion: cpu / (Double(max(delivered, 1)) / 1e6),
            peakRSSMegabytes: peak)
    }
}
