import SluiceCore
import SluiceKafka
import SluiceRuntime
import Testing

@Suite("RetryPolicy")
struct RetryPolicyTests {
    struct Permanent: Error {}

    @Test("retriable failures are retried with backoff until the call succeeds")
    func retriesUntilSuccess() throws {
        var policy = try RetryPolicy(config: ["errors.retry.timeout": "5000", "errors.retry.delay.max.ms": "20"])
        policy.initialDelayMs = 5
        var calls = 0
        let start = MonotonicClock.nanoseconds()
        let (value, retries) = try policy.run {
            calls += 1
            if calls < 4 { throw RetriableError("not yet") }
            return "done"
        }
        #expect(value == "done")
        #expect(retries == 3)
        #expect(MonotonicClock.nanoseconds() - start >= 5_000_000 + 10_000_000 + 20_000_000)  // 5 + 10 + 20 ms
    }

    @Test("no retries by default, a deadline, and other errors pass straight through")
    func limits() throws {
        var calls = 0
        #expect(throws: RetriableError.self) {
            _ = try RetryPolicy(config: [:]).run { calls += 1; throw RetriableError("x") }
        }
        #expect(calls == 1)
        var policy = try RetryPolicy(config: ["errors.retry.timeout": "100", "errors.retry.delay.max.ms": "10"])
        policy.initialDelayMs = 10
        calls = 0
        #expect(throws: RetriableError.self) { _ = try policy.run { calls += 1; throw RetriableError("x") } }
        #expect(calls >= 2 && calls <= 12)  // about 10; fewer when the machine is slow to wake sleepers
        calls = 0
        #expect(throws: Permanent.self) { _ = try policy.run { calls += 1; throw Permanent() } }
        #expect(calls == 1)
        #expect(throws: RuntimeError.self) { try RetryPolicy(config: ["errors.retry.timeout": "soon"]) }
        #expect(throws: RuntimeError.self) { try RetryPolicy(config: ["errors.retry.delay.max.ms": "-1"]) }
    }

    @Test("failed attempts, retries and a call given up on are counted as Kafka Connect's task error metrics")
    func counted() throws {
        var policy = try RetryPolicy(config: ["errors.retry.timeout": "5000", "errors.retry.delay.max.ms": "1"])
        policy.initialDelayMs = 1
        let errors = TaskErrorCounters()
        var calls = 0
        _ = try policy.run(errors: errors) {
            calls += 1
            if calls < 3 { throw RetriableError("not yet") }
        }
        #expect(errors.recordFailures.load(ordering: .relaxed) == 2)
        #expect(errors.retries.load(ordering: .relaxed) == 2)
        #expect(errors.recordErrors.load(ordering: .relaxed) == 0)
        #expect(errors.lastErrorTimestampMs.load(ordering: .relaxed) == 0, "a call that succeeded in the end is no error")
        let noRetries = try RetryPolicy(config: [:])
        #expect(throws: RetriableError.self) { _ = try noRetries.run(errors: errors) { throw RetriableError("down") } }
        #expect(errors.recordFailures.load(ordering: .relaxed) == 3)
        #expect(errors.retries.load(ordering: .relaxed) == 2)
        #expect(errors.recordErrors.load(ordering: .relaxed) == 1)
        #expect(errors.lastErrorTimestampMs.load(ordering: .relaxed) > 1_700_000_000_000, "ms since the epoch")
    }

    @Test("a source whose poll fails retriably keeps running and delivers everything")
    func flakySource() throws {
        final class Flaky: SourceTask, @unchecked Sendable {
            var failures = 2
            var next = 0
            func poll(into batch: RecordBatch) throws -> SourcePollResult {
                if failures > 0 { failures -= 1; throw RetriableError("source busy") }
                while next < 100 {
                    guard try batch.append(keyLength: -1, valueLength: 1, fill: { _, v in v[0] = 1 }) else { return .batchFull }
                    next += 1
                }
                return .endOfData
            }
        }
        let cluster = try EmbeddedKafka()
        var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        config["log_level"] = "0"
        let runner = try SourceTaskRunner(
            task: Flaky(), context: TaskContext(connectorName: "f", taskID: 0, config: ["errors.retry.timeout": "10000", "errors.retry.delay.max.ms": "50"]),
            topic: "flaky", producerConfiguration: config)
        try runner.start()
        runner.join()
        #expect(runner.state == .stopped)
        #expect(runner.retries.load(ordering: .relaxed) == 2)
        #expect(runner.deliveryStatistics.delivered == 100)
    }
}
