@testable import SluiceRuntime
import Testing

@Suite("Worker converters as every connector's defaults")
struct ConverterDefaultsTests {
    let worker: [String: String] = [
        "bootstrap.servers": "localhost:9092",
        "key.converter": "org.apache.kafka.connect.storage.StringConverter",
        "value.converter": "org.apache.kafka.connect.json.JsonConverter",
        "value.converter.schemas.enable": "false",
    ]

    @Test("a connector that names no converter gets the worker's, with their options")
    func inherited() throws {
        let defaults = try WorkerConfig(properties: worker).converterDefaults
        let task = defaults.applied(to: ["topic": "t"])
        #expect(task["key.converter"] == "org.apache.kafka.connect.storage.StringConverter")
        #expect(task["value.converter"] == "org.apache.kafka.connect.json.JsonConverter")
        #expect(task["value.converter.schemas.enable"] == "false")
        #expect(task["bootstrap.servers"] == nil, "only converter settings are defaults")
        let converter = try ConverterFactory.make(prefix: "value.converter", config: task, defaultName: "bytes")
        #expect((converter as? JsonConverter)?.schemasEnabled == false)
    }

    @Test("a connector's own converter wins, configured from the connector's options alone")
    func connectorWins() throws {
        let defaults = try WorkerConfig(properties: worker).converterDefaults
        let own = defaults.applied(to: ["value.converter": "org.apache.kafka.connect.json.JsonConverter"])
        #expect(own["value.converter.schemas.enable"] == nil, "the worker's options of a role the connector names are not mixed in")
        let converter = try ConverterFactory.make(prefix: "value.converter", config: own, defaultName: "bytes")
        #expect((converter as? JsonConverter)?.schemasEnabled == true)
        #expect(own["key.converter"] == "org.apache.kafka.connect.storage.StringConverter", "other roles still inherit")
        let option = defaults.applied(to: ["value.converter.schemas.enable": "true"])
        #expect(option["value.converter"] == "org.apache.kafka.connect.json.JsonConverter")
        #expect(option["value.converter.schemas.enable"] == "true", "a connector's option overrides the worker's")
    }

    @Test("a bad worker converter is refused at start, named as the worker's setting")
    func badWorkerConverter() {
        var properties = worker
        properties["value.converter"] = "com.example.NoSuchConverter"
        properties["key.converter"] = "json"
        properties["key.converter.schemas.enable"] = "maybe"
        do {
            _ = try WorkerConfig(properties: properties)
            Issue.record("a worker with an unknown converter started")
        } catch let RuntimeError.invalidConnectorConfig(connector, problems) {
            #expect(connector == "worker")
            #expect(Set(problems.map(\.name)) == ["value.converter", "key.converter.schemas.enable"])
            #expect(problems.contains { $0.message.contains("com.example.NoSuchConverter") })
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
