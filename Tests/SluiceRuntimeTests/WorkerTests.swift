import Foundation
import SluiceCore
import SluiceKafka
@testable import SluiceRuntime
import Synchronization
import Testing

/// A bounded source of `count` numbered records ("n 0", "n 1", ...), resuming after
/// its committed offset (the next record's number), with what it was given recorded.
final class NumberedSource: SourceTask, @unchecked Sendable {
    static let seen = Mutex<[String: TaskContext]>([:])
    private var next = 0
    private var count = 0

    var valueFormat: SourceValueFormat { .string }
    func sourcePartitionName(_ index: Int) -> String? { "numbers" }

    func start(context: TaskContext) throws {
        Self.seen.withLock { $0["\(context.connectorName)/\(context.taskID)"] = context }
        count = Int(context.config["count"] ?? "0") ?? 0
        next = Int(context.offsets["numbers"] ?? 0)
    }

    func poll(into batch: RecordBatch) throws -> SourcePollResult {
        try TextLines.fill(batch, next: &next, total: count, prefix: "n")
    }
}

/// Splits `count` records into one task per `tasks.max`, each counting its own.
final class NumberedSourceConnector: SourceConnector {
    let configDef = ConfigDef()
        .define("count", .int, default: "100", minimum: 0, documentation: "Records per task.")
        .define("topic", .string, documentation: "The topic.")
    private var config: [String: String] = [:]
    func start(config: [String: String]) throws { self.config = config }
    func taskConfigs(maxTasks: Int) -> [[String: String]] { (0..<maxTasks).map { _ in config } }
    func makeTask() -> SourceTask { NumberedSource() }
}

/// A source connector whose `start` waits until ``release`` is signalled: a connector
/// stuck in its start, as one waiting on an unreachable database is.
final class BlockingStartConnector: SourceConnector {
    static let entered = DispatchSemaphore(value: 0)
    static let release = DispatchSemaphore(value: 0)
    let configDef = ConfigDef()
    func start(config: [String: String]) throws {
        Self.entered.signal()
        Self.release.wait()
    }
    func taskConfigs(maxTasks: Int) -> [[String: String]] { [] }
    func makeTask() -> SourceTask { NumberedSource() }
}

extension ConnectorRegistry {
    /// A registry with the test connectors.
    static var testing: ConnectorRegistry {
        var registry = ConnectorRegistry()
        registry.register(["blocking-start"], .source { BlockingStartConnector() })
        registry.register(["numbers", "com.example.NumberedSourceConnector"], .source { NumberedSourceConnector() })
        registry.register(["recording-sink"], .sink { TopicSinkConnector() })
        return registry
    }
}

@Suite("Worker: runs the tasks herders ask for")
struct WorkerTests {
    func worker(_ cluster: EmbeddedKafka, extra: [String: String] = [:], environment: [String: String] = [:]) throws -> Worker {
        var properties = ["bootstrap.servers": cluster.bootstrapServers, "producer.log_level": "0", "consumer.log_level": "0"]
        for (key, value) in extra { properties[key] = value }
        return Worker(
            settings: Worker.Settings(config: try WorkerConfig(properties: properties)), registry: .testing,
            offsets: nil, resolver: SecretResolver(environment: environment))
    }

    @Test("a task starts with the worker's converters and its references resolved, and ends STOPPED when its source ends")
    func runsTask() throws {
        let cluster = try EmbeddedKafka()
        let worker = try worker(
            cluster, extra: ["value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "false"],
            environment: ["NUMBERS_TOPIC": "numbers-out"])
        let id = ConnectorTaskID(connector: "w-run", task: 0)
        let runner = try worker.startTask(id, config: ["connector.class": "numbers", "count": "500", "topic": "${env:NUMBERS_TOPIC}"])
        #expect(runner is SourceTaskRunner)
        #expect(worker.taskIDs == [id])
        #expect(worker.metrics.taskCounters[id]?.isSource == true)
        runner.join()
        let ended = worker.reapEnded()
        #expect(ended.map(\.id) == [id])
        #expect(ended.first?.runner.state == .stopped)
        #expect(worker.taskIDs.isEmpty)
        #expect(worker.metrics.taskCounters[id] == nil, "an ended task leaves /metrics")
        let context = NumberedSource.seen.withLock { $0["w-run/0"] }
        #expect(context?.config["topic"] == "numbers-out")
        #expect(context?.config["value.converter.schemas.enable"] == "false")
        #expect((runner as? SourceTaskRunner)?.deliveryStatistics.delivered == 500)
    }

    @Test("stopping tasks stops them all and forgets them; a task already running is refused")
    func stopsTasks() throws {
        let cluster = try EmbeddedKafka()
        let worker = try worker(cluster)
        let ids = (0..<3).map { ConnectorTaskID(connector: "w-stop", task: $0) }
        for id in ids {
            try worker.startTask(id, config: ["count": "100000000", "topic": "stop-out"], connectorClass: "numbers")
        }
        #expect(throws: WorkerError.taskAlreadyRunning(ids[0])) {
            try worker.startTask(ids[0], config: ["count": "1", "topic": "stop-out"], connectorClass: "numbers")
        }
        let stopped = worker.stopTasks([ids[0], ids[2]])
        #expect(stopped.map(\.id) == [ids[0], ids[2]])
        #expect(stopped.allSatisfy { $0.runner.state == .stopped })
        #expect(worker.taskIDs == [ids[1]])
        #expect(worker.stopAll().map(\.id) == [ids[1]])
        #expect(worker.taskIDs.isEmpty)
    }

    @Test("an unknown class, an unresolvable reference or a bad converter is an error and leaves nothing running")
    func refusesBadTasks() throws {
        let cluster = try EmbeddedKafka()
        let worker = try worker(cluster)
        let id = ConnectorTaskID(connector: "w-bad", task: 0)
        for config in [
            ["connector.class": "NoSuchConnector"],
            ["connector.class": "numbers", "topic": "${env:SLUICE_NOT_SET_ANYWHERE}"],
            ["connector.class": "numbers", "topic": "t", "value.converter": "com.example.Nope"],
        ] {
            #expect(throws: RuntimeError.self) { try worker.startTask(id, config: config) }
            #expect(worker.taskIDs.isEmpty)
        }
    }
}

@Suite("producer.path: which producer a source task uses")
struct ProducerPathTests {
    final class Lines: @unchecked Sendable {
        let lines = Mutex<[String]>([])
    }

    func worker(_ cluster: EmbeddedKafka, _ extra: [String: String], log: Lines) throws -> Worker {
        var properties = ["bootstrap.servers": cluster.bootstrapServers, "producer.log_level": "0"]
        for (key, value) in extra { properties[key] = value }
        return Worker(
            settings: Worker.Settings(config: try WorkerConfig(properties: properties)), registry: .testing, offsets: nil,
            log: { line in log.lines.withLock { $0.append(line) } })
    }

    @Test("native by default; librdkafka where the native path does not apply, said once in the log; a connector may choose")
    func choice() throws {
        let cluster = try EmbeddedKafka()
        let quiet = Lines()
        let plain = try worker(cluster, [:], log: quiet)
        let native = try #require(try plain.startTask(.init(connector: "p", task: 0), config: ["connector.class": "numbers", "count": "300", "topic": "p"]) as? SourceTaskRunner)
        native.join()
        #expect(native.producerPath == .native)
        #expect(native.deliveryStatistics.delivered == 300)
        let chosen = try #require(
            try plain.startTask(.init(connector: "q", task: 0), config: ["connector.class": "numbers", "count": "300", "topic": "q", "producer.path": "librdkafka"]) as? SourceTaskRunner)
        chosen.join()
        #expect(chosen.producerPath == .librdkafka)
        #expect(chosen.deliveryStatistics.delivered == 300)
        #expect(quiet.lines.withLock { $0.isEmpty }, "a chosen path is not reported as a fallback")

        let log = Lines()
        let gzip = try worker(cluster, ["producer.compression.type": "gzip"], log: log)
        for task in 0..<2 {
            let runner = try #require(try gzip.startTask(.init(connector: "g", task: task), config: ["connector.class": "numbers", "count": "100", "topic": "g"]) as? SourceTaskRunner)
            runner.join()
            #expect(runner.producerPath == .librdkafka)
            #expect(runner.deliveryStatistics.delivered == 100)
        }
        let lines = log.lines.withLock { $0 }
        #expect(lines.count == 1, "the reason is said once: \(lines)")
        #expect(lines.first?.contains("compression.type=gzip") == true)
    }

    @Test("a record larger than a task batch fails the task naming task.batch.bytes, the worker setting that sizes it")
    func recordLargerThanBatch() throws {
        let cluster = try EmbeddedKafka()
        let worker = try worker(cluster, ["task.batch.bytes": "4"], log: Lines())
        let runner = try worker.startTask(.init(connector: "big", task: 0), config: ["connector.class": "numbers", "count": "200", "topic": "big"])
        runner.join()
        #expect(runner.state == .failed)
        let text = "\(runner.error.map { "\($0)" } ?? "")"
        #expect(text.contains("task.batch.bytes") && text.contains("does not fit"), "\(text)")
        #expect(!text.contains("--batch-bytes"))
        #expect(throws: RuntimeError.self) { _ = try WorkerConfig(properties: ["bootstrap.servers": "x:1", "task.batch.bytes": "0"]) }
    }

    @Test("an unknown producer.path, or native where it cannot serve, is a clear error")
    func badValues() throws {
        let cluster = try EmbeddedKafka()
        #expect(throws: RuntimeError.self) { _ = try WorkerConfig(properties: ["bootstrap.servers": cluster.bootstrapServers, "producer.path": "fast"]) }
        do {
            _ = try WorkerConfig(properties: ["bootstrap.servers": cluster.bootstrapServers, "producer.path": "fast"])
        } catch {
            #expect("\(error)".contains("producer.path") && "\(error)".contains("native, librdkafka or automatic"))
        }
        let log = Lines()
        let worker = try worker(cluster, ["producer.path": "native", "producer.compression.type": "snappy"], log: log)
        do {
            try worker.startTask(.init(connector: "s", task: 0), config: ["connector.class": "numbers", "count": "1", "topic": "s"])
            Issue.record("native cannot write snappy")
        } catch {
            #expect("\(error)".contains("snappy"), "\(error)")
        }
        #expect(worker.taskIDs.isEmpty)
        let plain = try self.worker(cluster, [:], log: log)
        #expect(throws: NativeProducerError.self) {
            try plain.startTask(.init(connector: "u", task: 0), config: ["connector.class": "numbers", "count": "1", "topic": "u", "producer.path": "quick"])
        }
    }
}

@Suite("StandaloneWorker in-process")
struct StandaloneWorkerTests {
    @Test("a source's records are delivered, its offsets written at stop, and a second run resumes after them")
    func resumes() throws {
        let cluster = try EmbeddedKafka()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("standalone-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try WorkerConfig(properties: [
            "bootstrap.servers": cluster.bootstrapServers, "offset.storage.file.filename": path, "producer.log_level": "0",
        ])
        func run(count: Int) throws -> StandaloneWorker {
            let standalone = try StandaloneWorker(config: config, registry: .testing, resolver: SecretResolver(environment: ["N": String(count)]))
            try standalone.add(ConnectorConfigFile(name: "resume", config: ["connector.class": "numbers", "count": "${env:N}", "topic": "resume-out"]))
            try standalone.start()
            standalone.waitForSources()
            try standalone.stop()
            return standalone
        }
        let first = try run(count: 300)
        #expect(first.taskStates.map(\.state) == [.stopped])
        #expect(try OffsetFile(path: path).offsets(of: "resume") == ["numbers": 300])
        let second = try run(count: 500)
        #expect(second.taskStates.map(\.state) == [.stopped])
        #expect(NumberedSource.seen.withLock { $0["resume/0"]?.offsets } == ["numbers": 300], "the second run resumes after the first")
        #expect(try OffsetFile(path: path).offsets(of: "resume") == ["numbers": 500])
    }

    /// A started standalone worker on `cluster` with the test connectors, and its offsets file.
    func startedStandalone(_ cluster: EmbeddedKafka) throws -> (StandaloneWorker, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("standalone-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json").path
        let standalone = try StandaloneWorker(
            config: WorkerConfig(properties: ["bootstrap.servers": cluster.bootstrapServers, "offset.storage.file.filename": path, "producer.log_level": "0"]),
            registry: .testing)
        try standalone.start()
        return (standalone, path)
    }

    @Test("health: a connector stuck in its start holds every change up, and the worker is unhealthy until it returns")
    func healthWhileStuck() throws {
        let cluster = try EmbeddedKafka()
        let (standalone, path) = try startedStandalone(cluster)
        defer {
            try? standalone.stop()
            try? FileManager.default.removeItem(atPath: path)
        }
        #expect(standalone.healthProblem(timeout: 0.2) == nil)
        let created = DispatchSemaphore(value: 0)
        let failure = Mutex<String?>(nil)
        Thread {
            do {
                try standalone.putConnector("stuck", config: ["connector.class": "blocking-start"], mustBeNew: true, initialState: nil)
            } catch {
                failure.withLock { $0 = "\(error)" }
                BlockingStartConnector.entered.signal()
            }
            created.signal()
        }.start()
        #expect(BlockingStartConnector.entered.wait(timeout: .now() + 30) == .success)
        try #require(failure.withLock { $0 } == nil, "\(failure.withLock { $0 } ?? "")")
        let problem = standalone.healthProblem(timeout: 0.3)
        #expect(problem?.contains("waiting more than 0.3 s") == true, "\(String(describing: problem))")
        BlockingStartConnector.release.signal()
        created.wait()
        #expect(standalone.healthProblem(timeout: 0.2) == nil, "healthy again once the start returned")
    }

    @Test("a new connector starts in its initial state (KIP-980); a replaced one keeps the state it had")
    func initialState() throws {
        let cluster = try EmbeddedKafka()
        let (standalone, path) = try startedStandalone(cluster)
        defer {
            try? standalone.stop()
            try? FileManager.default.removeItem(atPath: path)
        }
        let config = ["connector.class": "numbers", "count": "10", "topic": "initial-out", "tasks.max": "2"]
        try standalone.putConnector("paused", config: config, mustBeNew: true, initialState: .paused)
        try standalone.putConnector("stopped", config: config, mustBeNew: true, initialState: .stopped)
        try standalone.putConnector("started", config: config, mustBeNew: true, initialState: nil)
        #expect(try standalone.targetState("paused") == .paused)
        #expect(try standalone.status("paused").tasks.map(\.status.state) == [.paused, .paused])
        #expect(try standalone.status("stopped").connector.state == .stopped)
        #expect(try standalone.status("stopped").tasks.isEmpty)
        #expect(try standalone.targetState("started") == .started)
        #expect(!standalone.taskStates.contains { $0.connector != "started" }, "only the started connector ran tasks")
        try standalone.putConnector("paused", config: config, mustBeNew: false, initialState: .started)
        #expect(try standalone.targetState("paused") == .paused)
    }

    @Test("a source connector without an offsets file, or a name used twice, is refused")
    func refused() throws {
        let cluster = try EmbeddedKafka()
        let standalone = try StandaloneWorker(config: WorkerConfig(properties: ["bootstrap.servers": cluster.bootstrapServers]), registry: .testing)
        #expect(throws: RuntimeError.self) {
            try standalone.add(ConnectorConfigFile(name: "a", config: ["connector.class": "numbers", "topic": "t"]))
        }
        try standalone.add(ConnectorConfigFile(name: "s", config: ["connector.class": "recording-sink", "topics": "t"]))
        #expect(throws: HerderError.alreadyExists("s")) {
            try standalone.add(ConnectorConfigFile(name: "s", config: ["connector.class": "recording-sink", "topics": "t"]))
        }
    }
}
