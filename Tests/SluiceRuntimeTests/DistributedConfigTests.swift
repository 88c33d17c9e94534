import Foundation
import SluiceKafka
import SluiceRuntime
import Testing

@Suite("Distributed worker settings, secrets, config and status records")
struct DistributedConfigTests {
    private let minimal = [
        "bootstrap.servers": "127.0.0.1:9092", "group.id": "g", "config.storage.topic": "cfg",
        "offset.storage.topic": "off", "status.storage.topic": "st",
    ]

    @Test("every missing or bad worker setting is reported at once")
    func workerProblems() {
        var properties = ["bootstrap.servers": "127.0.0.1:9092", "session.timeout.ms": "abc", "rest.auth.type": "digest"]
        properties["listeners"] = "https://0.0.0.0:8443"
        do {
            _ = try DistributedWorkerConfig(properties: properties)
            Issue.record("expected an error")
        } catch let RuntimeError.invalidConnectorConfig(_, problems) {
            let names = Set(problems.map(\.name))
            #expect(names.isSuperset(of: ["group.id", "config.storage.topic", "offset.storage.topic", "status.storage.topic", "session.timeout.ms", "rest.auth.type", "listeners"]))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("defaults are Kafka Connect's; listeners, auth and librdkafka pass-through are read")
    func workerSettings() throws {
        var properties = minimal
        properties["listeners"] = "http://0.0.0.0:18083"
        properties["rest.auth.type"] = "basic"
        properties["rest.auth.basic.users"] = "admin:${env:SLUICE_TEST_PASSWORD}"
        properties["socket.keepalive.enable"] = "true"
        properties["key.converter"] = "org.apache.kafka.connect.json.JsonConverter"
        let config = try DistributedWorkerConfig(
            properties: properties, resolver: SecretResolver(environment: ["SLUICE_TEST_PASSWORD": "s3cret"]))
        #expect(config.restHost == "0.0.0.0")
        #expect(config.restPort == 18083)
        #expect(config.basicUsers == ["admin": "s3cret"])
        #expect(config.sessionTimeoutMs == 10_000)
        #expect(config.partitions["off"] == 25)
        #expect(config.partitions["cfg"] == 1)
        #expect(config.passthrough["socket.keepalive.enable"] == "true")
        properties["some.unknown.setting"] = "x"
        #expect(try DistributedWorkerConfig(properties: properties, resolver: SecretResolver(environment: ["SLUICE_TEST_PASSWORD": "s3cret"])).ignored == ["some.unknown.setting"])
        #expect(!config.ignored.contains("key.converter"), "worker converters are the connectors' defaults")
        #expect(config.base.converterDefaults.settings["key.converter"] == "org.apache.kafka.connect.json.JsonConverter")
        #expect(config.base.producer["socket.keepalive.enable"] == "true")
    }

    @Test("the REST API binds to 127.0.0.1 unless told otherwise")
    func loopbackByDefault() throws {
        let config = try DistributedWorkerConfig(properties: minimal)
        #expect(config.restHost == "127.0.0.1")
        #expect(config.restPort == 8083)
    }

    @Test("${env:} and ${file:} references resolve; unresolvable ones name the setting, never a secret")
    func secrets() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-secrets-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("db.properties").path
        try Data("password=hunter2\nuser=app\n".utf8).write(to: URL(fileURLWithPath: file))
        let resolver = SecretResolver(environment: ["TOKEN": "abc"])
        let resolved = try resolver.resolve([
            "a": "${env:TOKEN}", "b": "u=${file:\(file):user};p=${file:\(file):password}", "c": "plain",
        ])
        #expect(resolved == ["a": "abc", "b": "u=app;p=hunter2", "c": "plain"])
        for (value, fragment) in [
            ("${env:MISSING}", "MISSING is not set"), ("${file:\(file):nokey}", "has no key 'nokey'"),
            ("${vault:x}", "unknown config provider"), ("${env:TOKEN", "unterminated"),
            ("${file:/no/such/file.properties:k}", "cannot read"),
        ] {
            do {
                _ = try resolver.resolve(["secret": value])
                Issue.record("\(value) should not resolve")
            } catch let RuntimeError.invalidConfig(name, _, reason) {
                #expect(name == "secret")
                #expect(reason.contains(fragment), "\(reason)")
                #expect(!reason.contains("hunter2"))
            }
        }
        #expect(SecretResolver.redacted(["db.password": "x", "topic": "t"]) == ["db.password": "[hidden]", "topic": "t"])
    }

    @Test("config topic records build the cluster's view: create, target state, restart, delete")
    func configRecords() {
        var state = ClusterConfigState()
        var offset: Int64 = 0
        func apply(_ message: MessageProducer.Message) -> ClusterConfigState.Change {
            defer { offset += 1 }
            return state.apply(TopicReader.Entry(partition: 0, offset: offset, key: message.key, value: message.value))
        }
        #expect(apply(ClusterConfigState.connectorRecord(topic: "t", name: "a-b", config: ["tasks.max": "2"])) == .connectorConfig("a-b"))
        #expect(state.connectors["a-b"] == ["tasks.max": "2"])
        #expect(apply(ClusterConfigState.targetStateRecord(topic: "t", name: "a-b", state: .paused)) == .targetState("a-b", previous: .started))
        #expect(state.targetState(of: "a-b") == .paused)
        #expect(apply(ClusterConfigState.restartRecord(topic: "t", name: "a-b", includeTasks: true, onlyFailed: false))
            == .restartConnector("a-b", includeTasks: true, onlyFailed: false))
        #expect(apply(ClusterConfigState.taskRestartRecord(topic: "t", task: ConnectorTaskID(connector: "a-b", task: 1)))
            == .restartTask(ConnectorTaskID(connector: "a-b", task: 1)))
        #expect(apply(ClusterConfigState.deletionRecord(topic: "t", name: "a-b")) == .connectorDeleted("a-b"))
        #expect(state.connectors.isEmpty)
        #expect(state.offset == 5)
        #expect(apply(MessageProducer.Message(topic: "t", key: Array("connector-x".utf8), value: Array("not json".utf8))) == .none)
    }

    @Test("status records round-trip, task ids parse from names with dashes, tombstones delete")
    func statusRecords() {
        var status = ClusterStatus()
        let id = ConnectorTaskID(connector: "my-conn", task: 12)
        let entry = StatusEntry(state: .failed, workerID: "127.0.0.1:8083", trace: "boom", generation: 3)
        let record = ClusterStatus.taskRecord(topic: "s", task: id, status: entry)
        status.apply(TopicReader.Entry(partition: 0, offset: 0, key: record.key, value: record.value))
        #expect(status.tasks[id] == entry)
        let tombstone = ClusterStatus.taskRecord(topic: "s", task: id, status: nil)
        status.apply(TopicReader.Entry(partition: 0, offset: 1, key: tombstone.key, value: nil))
        #expect(status.tasks[id] == nil)
    }
}
