import Foundation
import SluiceRuntime
import Testing

@Suite("Connector and worker configs")
struct ConfigTests {
    @Test("validation reports every invalid setting at once")
    func everyProblem() {
        let definition = ConfigDef()
            .define("file", .string, documentation: "file")
            .define("batch.size", .int, default: "10", minimum: 1, documentation: "size")
            .define("mode", .string, default: "a", allowed: ["a", "b"], documentation: "mode")
            .define("flag", .boolean, default: "false", documentation: "flag")
        let problems = definition.validate(["batch.size": "many", "mode": "c", "flag": "yes"])
        #expect(Set(problems.map(\.name)) == ["file", "batch.size", "mode", "flag"])
        #expect(problems.first { $0.name == "file" }?.message.contains("Missing required configuration \"file\"") == true)
        #expect(definition.validate(["file": "x", "batch.size": "0"]).map(\.name) == ["batch.size"])
        #expect(definition.validate(["file": "x"]).isEmpty)
    }

    @Test("connector JSON in both shapes, with numbers and booleans as strings")
    func json() throws {
        let wrapped = try ConnectorConfigFile.parseJSON(#"{"name": "a", "config": {"connector.class": "x", "tasks.max": 3, "flag": true}}"#)
        #expect(wrapped.name == "a")
        #expect(wrapped.config["tasks.max"] == "3")
        #expect(wrapped.config["flag"] == "true")
        let bare = try ConnectorConfigFile.parseJSON(#"{"name": "b", "connector.class": "x"}"#)
        #expect(bare.name == "b" && bare.config["connector.class"] == "x")
    }

    @Test("comments in connector JSON are allowed (the documentation's JDBC example has one); // inside strings stays")
    func comments() throws {
        let seed = """
            { "name": "my-connector",
              "config": { "connector.class": "org.apache.kafka.connect.jdbc.JdbcSourceConnector",
                          "tasks.max": "5", // Scale the number of tasks
                          /* a block
                             comment */ "topics": "my_topic",
                          "connection.url": "jdbc:mysql://localhost:3306/mydb", "note": "a \\\" // b" } }
            """
        let file = try ConnectorConfigFile.parseJSON(seed)
        #expect(file.config["tasks.max"] == "5" && file.config["topics"] == "my_topic")
        #expect(file.config["connection.url"] == "jdbc:mysql://localhost:3306/mydb")
        #expect(file.config["note"] == #"a " // b"#, "an escaped quote does not end the string")
        #expect(throws: ConfigFileError.malformedJSON(path: "c.json", line: 2, column: 3)) {
            try ConnectorConfigFile.parseJSON("{ // open\n  oops }", path: "c.json")
        }
    }

    @Test("malformed JSON names the line and column")
    func malformed() {
        let text = "{\n  \"name\": \"a\",\n  oops\n}"
        #expect(throws: ConfigFileError.malformedJSON(path: "c.json", line: 3, column: 3)) {
            try ConnectorConfigFile.parseJSON(text, path: "c.json")
        }
        #expect(throws: ConfigFileError.invalid(path: "<input>", reason: "the top level must be a JSON object")) {
            try ConnectorConfigFile.parseJSON("[1, 2]")
        }
        #expect(throws: ConfigFileError.self) {
            try ConnectorConfigFile.parseJSON(#"{"name": "a", "config": {"topics": ["x"]}}"#)
        }
        #expect(throws: ConfigFileError.missingName(path: "<input>")) {
            try ConnectorConfigFile.parseJSON(#"{"config": {}}"#)
        }
    }

    @Test(".properties files: separators, comments, continuations, and bad lines")
    func properties() throws {
        let parsed = try PropertiesFile.parse("# comment\n! also\na=1\nb: two words\nc = x\\\n  y\n\n")
        #expect(parsed == ["a": "1", "b": "two words", "c": "xy"])
        #expect(throws: ConfigFileError.self) { try PropertiesFile.parse("ok=1\nnot a property\n") }
    }

    @Test("an unknown connector class lists the known ones")
    func unknownClass() {
        var registry = ConnectorRegistry()
        registry.register(["FileStreamSource", "org.apache.kafka.connect.file.FileStreamSourceConnector"], .sink { fatalError() })
        #expect(throws: RuntimeError.unknownConnectorClass("com.example.Nope", known: ["FileStreamSource"])) {
            try registry.factory(for: "com.example.Nope")
        }
        #expect((try? registry.factory(for: "org.apache.kafka.connect.file.FileStreamSourceConnector")) != nil)
        #expect((try? registry.factory(for: "FileStreamSourceConnector")) != nil)
    }

    @Test("worker settings: every problem at once")
    func worker() {
        #expect {
            _ = try WorkerConfig(properties: ["offset.flush.interval.ms": "soon", "producer.no.such": "1", "worker.cpus": "0-x"])
        } throws: { error in
            guard case let RuntimeError.invalidConnectorConfig(_, problems) = error else { return false }
            return Set(problems.map(\.name)) == ["bootstrap.servers", "offset.flush.interval.ms", "producer.no.such", "worker.cpus"]
        }
    }
}
