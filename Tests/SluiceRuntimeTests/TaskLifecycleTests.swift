import Glibc
import SluiceCore
import SluiceKafka
import SluiceRuntime
import Synchronization
import Testing

/// One call the runner made on a task, and the thread it made it on.
struct TaskCall: Equatable, Sendable {
    enum Kind: Equatable, Sendable { case start, poll, commit, put, flush, stop }
    var kind: Kind
    var thread: UInt
}

/// Records every call a runner makes, in the order it makes them.
final class CallLog: Sendable {
    private let calls = Mutex<[TaskCall]>([])

    func record(_ kind: TaskCall.Kind) {
        let thread = UInt(pthread_self())
        calls.withLock { $0.append(TaskCall(kind: kind, thread: thread)) }
    }

    var all: [TaskCall] { calls.withLock { $0 } }

    /// Checks the contract every task runner promises: `start` first, `stop` last and
    /// once, every call on one thread.
    func expectContract(_ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let calls = all
        #expect(calls.first?.kind == .start, "\(label): start comes first", sourceLocation: sourceLocation)
        #expect(calls.last?.kind == .stop, "\(label): stop comes last", sourceLocation: sourceLocation)
        #expect(calls.filter { $0.kind == .start }.count == 1, "\(label): one start", sourceLocation: sourceLocation)
        #expect(calls.filter { $0.kind == .stop }.count == 1, "\(label): one stop", sourceLocation: sourceLocation)
        let threads = Set(calls.map(\.thread))
        #expect(threads.count == 1, "\(label): every call on the task thread, got \(threads.count) threads", sourceLocation: sourceLocation)
    }
}

/// A text source ("line 0", "line 1", ...) that logs its calls; its offset is the next line.
final class LoggingSource: SourceTask, @unchecked Sendable {
    let log = CallLog()
    let total: Int
    private var next = 0
    let committedRecords = Mutex<Int>(0)

    init(total: Int) { self.total = total }

    var valueFormat: SourceValueFormat { .string }
    func sourcePartitionName(_ index: Int) -> String? { "text" }
    func start(context: TaskContext) throws { log.record(.start) }
    func stop() { log.record(.stop) }

    func poll(into batch: RecordBatch) throws -> SourcePollResult {
        log.record(.poll)
        return try TextLines.fill(batch, next: &next, total: total)
    }

    func commit(batch: RecordBatch) {
        log.record(.commit)
        committedRecords.withLock { $0 += batch.count }
    }
}

/// A sink that logs its calls and counts what it was given.
final class LoggingSink: SinkTask, @unchecked Sendable {
    let log = CallLog()
    let received = Mutex<Int>(0)

    func start(context: TaskContext) throws { log.record(.start) }
    func stop() { log.record(.stop) }
    func flush() throws { log.record(.flush) }

    func put(_ batch: ConsumedBatch) throws {
        log.record(.put)
        received.withLock { $0 += batch.count }
    }

    func put(records: [ConnectRecord]) throws {
        log.record(.put)
        received.withLock { $0 += records.count }
    }
}

@Suite("Task lifecycle: every call on the task thread, stop last")
struct TaskLifecycleTests {
    /// The ways a source runner can run: who produces, and whether records are converted.
    enum SourceRoute: String, CaseIterable, CustomTestStringConvertible {
        case direct, lane, directConverted, laneConverted
        var mode: ProduceMode { self == .direct || self == .directConverted ? .direct : .lane }
        var config: [String: String] {
            switch self {
            case .direct, .lane: [:]
            case .directConverted, .laneConverted:
                ["value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "false"]
            }
        }
        var testDescription: String { rawValue }
    }

    @Test("a source task's commits all come before its stop, on its own thread", arguments: SourceRoute.allCases)
    func sourceTask(route: SourceRoute) throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("lifecycle", partitions: 4)
        var producer = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        producer["log_level"] = "0"
        // Small batches and a lingering producer: many batches are still in flight when
        // the source ends, which is when a runner that stops too early is caught.
        producer["linger.ms"] = "20"
        var settings = SourceTaskRunner.Settings()
        settings.mode = route.mode
        settings.batchCount = 8
        settings.batchBytes = 4 * 1024
        settings.maxRecordsPerBatch = 128
        let total = 20_000
        let source = LoggingSource(total: total)
        let runner = try SourceTaskRunner(
            task: source, context: TaskContext(connectorName: "lifecycle", taskID: 0, config: route.config),
            topic: "lifecycle", producerConfiguration: producer, settings: settings)
        try runner.start()
        runner.join()
        #expect(runner.state == .stopped, "\(runner.error.map { "\($0)" } ?? "")")
        source.log.expectContract("source \(route)")
        #expect(source.log.all.contains { $0.kind == .commit })
        #expect(source.committedRecords.withLock { $0 } == total, "every delivered record is committed before stop")
    }

    @Test("a source task stopped while running still gets every commit before its stop")
    func sourceStoppedEarly() throws {
        let cluster = try EmbeddedKafka()
        var producer = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        producer["log_level"] = "0"
        producer["linger.ms"] = "20"
        for mode in [ProduceMode.direct, .lane] {
            var settings = SourceTaskRunner.Settings()
            settings.mode = mode
            settings.batchCount = 8
            settings.batchBytes = 4 * 1024
            settings.maxRecordsPerBatch = 128
            let source = LoggingSource(total: Int.max)
            let runner = try SourceTaskRunner(
                task: source, context: TaskContext(connectorName: "early", taskID: 0, config: [:]),
                topic: "early", producerConfiguration: producer, settings: settings)
            try runner.start()
            while source.committedRecords.withLock({ $0 }) < 1_000 { usleep(1_000) }
            runner.stop()
            runner.join()
            #expect(runner.state == .stopped)
            source.log.expectContract("source stopped early, \(mode)")
            #expect(source.committedRecords.withLock { $0 } == runner.deliveryStatistics.delivered)
        }
    }

    @Test("a sink task's flushes come before its stop, on its own thread", arguments: [false, true])
    func sinkTask(converted: Bool) throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("sunk", partitions: 2)
        var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        config["log_level"] = "0"
        let writer = try MessageProducer(configuration: config)
        let total = 500
        try writer.send((0..<total).map { .init(topic: "sunk", key: nil, value: Array("{\"n\":\($0)}".utf8)) })
        let sink = LoggingSink()
        let connector =
            converted
            ? ["value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "false"]
            : [:]
        let runner = try SinkTaskRunner(
            task: sink, context: TaskContext(connectorName: "sunk-\(converted)", taskID: 0, config: connector),
            topics: ["sunk"], consumerConfiguration: config)
        try runner.start()
        let deadline = MonotonicClock.nanoseconds() + 30_000_000_000
        while sink.received.withLock({ $0 }) < total && MonotonicClock.nanoseconds() < deadline { usleep(10_000) }
        runner.stop()
        runner.join()
        #expect(runner.state == .stopped, "\(runner.error.map { "\($0)" } ?? "")")
        #expect(sink.received.withLock { $0 } == total)
        sink.log.expectContract("sink, converted: \(converted)")
        let calls = sink.log.all.map(\.kind)
        let lastPut = calls.lastIndex(of: .put) ?? -1
        let lastFlush = calls.lastIndex(of: .flush) ?? -1
        #expect(lastFlush > lastPut, "what was put is flushed before stop")
    }
}
