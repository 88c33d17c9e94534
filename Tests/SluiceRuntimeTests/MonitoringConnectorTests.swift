import Foundation
import SluiceKafka
@testable import SluiceRuntime
import Synchronization
import Testing

/// A monitoring connector whose own task configs differ at every call, unless it is
/// told the running ones, which it then keeps: a connector whose choice depends on
/// the moment (as the SQL source's key ranges do).
final class RecheckedConnector: SourceConnector, MonitoringConnector {
    /// The `running` configs of every call, in order.
    static let told = Mutex<[[[String: String]]]>([])
    let configDef = ConfigDef()
    private var config: [String: String] = [:]
    var taskConfigsRecheckIntervalMs: Int? { 50 }
    func start(config: [String: String]) throws { self.config = config }
    func taskConfigs(maxTasks: Int) -> [[String: String]] { [config.merging(["made": UUID().uuidString]) { $1 }] }
    func taskConfigs(maxTasks: Int, running: [[String: String]]) -> [[String: String]] {
        Self.told.withLock { $0.append(running) }
        return running.isEmpty ? taskConfigs(maxTasks: maxTasks) : running
    }
    func makeTask() -> SourceTask { NumberedSource() }
}

@Suite("Monitoring connectors are told the task configs that run")
struct MonitoringConnectorTests {
    @Test("a standalone worker's rechecks pass the running task configs, so a connector can keep them and its tasks are not restarted")
    func standaloneRechecks() throws {
        let cluster = try EmbeddedKafka()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rechecked-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var registry = ConnectorRegistry.testing
        registry.register(["rechecked"], .source { RecheckedConnector() })
        let standalone = try StandaloneWorker(
            config: WorkerConfig(properties: [
                "bootstrap.servers": cluster.bootstrapServers, "offset.storage.file.filename": path,
                "producer.log_level": "0", "consumer.log_level": "0",
            ]),
            registry: registry)
        try standalone.start()
        defer { try? standalone.stop() }
        try standalone.putConnector("watched", config: ["connector.class": "rechecked", "topic": "watched", "count": "0"], mustBeNew: true)
        let first = try standalone.taskConfigs("watched").map(\.config)
        #expect(first.count == 1 && first[0]["made"] != nil)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline && RecheckedConnector.told.withLock({ $0.count }) < 4 { usleep(50_000) }
        let told = RecheckedConnector.told.withLock { $0 }
        #expect(told.count >= 4, "rechecks every 50 ms (the monitor looks every 100 ms)")
        #expect(told.first == [], "created: nothing ran yet")
        #expect(told.dropFirst().allSatisfy { $0 == first }, "every recheck was told the running configs")
        #expect(try standalone.taskConfigs("watched").map(\.config) == first, "kept: no reconfiguration")
    }
}
