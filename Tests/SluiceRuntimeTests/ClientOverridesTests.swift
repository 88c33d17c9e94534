import Foundation
import SluiceKafka
import Testing

@testable import SluiceRuntime

/// `producer.override.*` and `consumer.override.*` under the worker's
/// `connector.client.config.override.policy` (``ClientOverridePolicy``).
@Suite("Connector client overrides")
struct ClientOverridesTests {
    @Test("the policy is read by short or class name in any case; another value is a worker config error")
    func policyNames() throws {
        #expect(ClientOverridePolicy(named: "All") == .all)
        #expect(ClientOverridePolicy(named: "none") == ClientOverridePolicy.none)
        #expect(ClientOverridePolicy(named: "org.apache.kafka.connect.connector.policy.PrincipalConnectorClientConfigOverridePolicy") == .principal)
        #expect(ClientOverridePolicy(named: "Some") == nil)
        #expect(try WorkerConfig(properties: ["bootstrap.servers": "b:9092"]).clientOverridePolicy == .all)
        #expect(try WorkerConfig(properties: ["bootstrap.servers": "b:9092", ClientOverridePolicy.key: "None"]).clientOverridePolicy == ClientOverridePolicy.none)
        #expect(throws: RuntimeError.self) { _ = try WorkerConfig(properties: ["bootstrap.servers": "b:9092", ClientOverridePolicy.key: "Some"]) }
    }

    @Test("None refuses every override, Principal all but who the client is, All only values the client would not take")
    func problems() {
        let config = [
            "producer.override.linger.ms": "50", "producer.override.sasl.mechanism": "PLAIN", "consumer.override.max.poll.records": "10",
            "topic": "t",
        ]
        #expect(ClientOverridePolicy.none.problems(in: config).map(\.name) == ["consumer.override.max.poll.records", "producer.override.linger.ms", "producer.override.sasl.mechanism"])
        #expect(ClientOverridePolicy.none.problems(in: config).first?.message == "The 'None' policy does not allow 'consumer.override.max.poll.records' to be overridden in the connector configuration.")
        #expect(ClientOverridePolicy.principal.problems(in: config).map(\.name) == ["consumer.override.max.poll.records", "producer.override.linger.ms"])
        #expect(ClientOverridePolicy.all.problems(in: config).isEmpty)
        #expect(ClientOverridePolicy.all.problems(in: ["producer.override.linger.ms": "soon"]).map(\.name) == ["producer.override.linger.ms"])
        #expect(ClientOverridePolicy.none.problems(in: ["topic": "t"]).isEmpty)
    }

    @Test("a connector's overrides reach its tasks' clients: a sink's consumer and a source's producer")
    func applied() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("ov", partitions: 1)
        let worker = Worker(
            settings: Worker.Settings(config: try WorkerConfig(properties: [
                "bootstrap.servers": cluster.bootstrapServers, "producer.log_level": "0", "consumer.log_level": "0",
                "consumer.group.instance.id": "worker-a",
            ])),
            registry: .testing, offsets: nil, log: { _ in })
        let sink = try #require(try worker.startTask(
            .init(connector: "files", task: 0),
            config: ["connector.class": "recording-sink", "topics": "ov", "consumer.override.group.instance.id": "own"]) as? SinkTaskRunner)
        #expect(sink.groupInstanceID == "own-files-0")
        let source = try #require(try worker.startTask(
            .init(connector: "gz", task: 0),
            config: ["connector.class": "numbers", "count": "100", "topic": "ov", "producer.override.compression.type": "gzip"]) as? SourceTaskRunner)
        source.join()
        #expect(source.producerPath == .librdkafka, "gzip is served by librdkafka only: the override reached the producer")
        #expect(source.producerPathReason?.contains("gzip") == true)
        #expect(source.deliveryStatistics.delivered == 100)
        _ = worker.stopAll()

        let strict = Worker(
            settings: Worker.Settings(config: try WorkerConfig(properties: [
                "bootstrap.servers": cluster.bootstrapServers, "producer.log_level": "0", ClientOverridePolicy.key: "None",
            ])),
            registry: .testing, offsets: nil, log: { _ in })
        #expect(throws: RuntimeError.self) {
            try strict.startTask(.init(connector: "gz", task: 0), config: ["connector.class": "numbers", "count": "1", "topic": "ov", "producer.override.linger.ms": "1"])
        }
    }

    @Test("a standalone worker with the None policy refuses a connector with an override when it is created, naming the setting")
    func refusedAtCreate() throws {
        let worker = try StandaloneWorker(
            config: WorkerConfig(properties: ["bootstrap.servers": "127.0.0.1:1", ClientOverridePolicy.key: "None"]),
            registry: .testing, log: { _ in })
        #expect(worker.clientOverridePolicy == ClientOverridePolicy.none)
        do {
            try worker.putConnector("s", config: ["connector.class": "recording-sink", "topics": "t", "consumer.override.fetch.min.bytes": "1"], mustBeNew: true)
            Issue.record("the connector was created")
        } catch let RuntimeError.invalidConnectorConfig(_, problems) {
            #expect(problems.map(\.name) == ["consumer.override.fetch.min.bytes"])
        }
        #expect(worker.connectorNames().isEmpty)
        #expect(try worker.validate(["connector.class": "recording-sink", "name": "s", "topics": "t", "producer.override.acks": "1"]).problems.map(\.name) == ["producer.override.acks"])
    }
}
