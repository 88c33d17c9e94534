import Testing

@testable import SluiceRuntime

/// The header, timestamp and schema transforms' settings are checked where every connector config is (create,
/// validate, PUT): a problem naming the setting, not a crash.
@Suite("Validation of the header, timestamp and schema transforms")
struct TransformSettingsValidationTests {
    @Test(
        "a bad setting is a validation problem naming it",
        arguments: [
            ("TimestampConverter$Value", ["target.type": "Epoch"], "transforms.t.target.type"),
            ("HeaderFrom$Value", ["fields": "a,b", "headers": "h", "operation": "copy"], "transforms.t.headers"),
            ("SetSchemaMetadata$Key", [:], "transforms.t.schema.name"),
            ("InsertHeader", ["header": "h"], "transforms.t.value.literal"),
            ("DropHeaders", [:], "transforms.t.headers"),
        ])
    func problem(type: String, settings: [String: String], name: String) throws {
        var config = ["transforms": "t", "transforms.t.type": type]
        for (key, value) in settings { config["transforms.t." + key] = value }
        #expect(try problemNames(config) == [name])
    }

    @Test("HasHeaderKey without a name is a validation problem naming it")
    func predicateProblem() throws {
        let config = [
            "predicates": "p", "predicates.p.type": "org.apache.kafka.connect.transforms.predicates.HasHeaderKey",
        ]
        #expect(try problemNames(config) == ["predicates.p.name"])
    }

    /// The names of the settings validation reports for a sink connector with `settings`.
    func problemNames(_ settings: [String: String]) throws -> [String] {
        var config = ["name": "s", "connector.class": "test-sink", "topics": "a"]
        config.merge(settings) { _, new in new }
        var registry = ConnectorRegistry()
        registry.register(["test-sink"], .sink { TopicSinkConnector() })
        return try ConnectorValidation.check(config, registry: registry).problems.map(\.name)
    }
}
