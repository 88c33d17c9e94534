@testable import SluiceRuntime
import Testing

@Suite("The settings every connector shares, parsed once")
struct ConnectorConfigTests {
    @Test("typed values come with their defaults")
    func typedValues() throws {
        let values = try ConfigDef()
            .define("n", .int, default: "7", documentation: "")
            .define("on", .boolean, default: "false", documentation: "")
            .define("items", .list, default: "", documentation: "")
            .define("s", .string, documentation: "")
            .parse(["on": "TRUE", "items": " a, ,b ", "s": "x"], owner: "c")
        #expect(values.int("n") == 7)
        #expect(values.bool("on"))
        #expect(values.list("items") == ["a", "b"])
        #expect(values.string("s") == "x")
        #expect(throws: RuntimeError.self) { try ConfigDef().define("s", .string, documentation: "").parse([:], owner: "c") }
    }

    @Test("errors.* settings: defaults, any case of errors.tolerance, every mistake at once")
    func errorHandling() throws {
        let defaults = try ErrorHandlingConfig(config: [:])
        #expect(defaults.tolerance == .none)
        #expect(defaults.retryTimeoutMs == 0)
        #expect(defaults.retryDelayMaxMs == 60_000)
        #expect(defaults.deadLetterTopic == nil)
        #expect(!defaults.logEnabled && !defaults.contextHeaders && !defaults.logIncludesMessages)
        let set = try ErrorHandlingConfig(config: [
            "errors.tolerance": "ALL", "errors.retry.timeout": "-1", "errors.deadletterqueue.topic.name": " dlq ",
            "errors.deadletterqueue.context.headers.enable": "true", "errors.log.enable": "True",
        ])
        #expect(set.tolerance == .all)
        #expect(set.retryTimeoutMs == -1)
        #expect(set.deadLetterTopic == "dlq")
        #expect(set.contextHeaders && set.logEnabled)
        let problems = ErrorHandlingConfig.problems(in: [
            "errors.tolerance": "some", "errors.retry.timeout": "-5", "errors.log.enable": "yes", "errors.retry.delay.max.ms": "soon",
        ])
        #expect(Set(problems.map(\.name)) == ["errors.tolerance", "errors.retry.timeout", "errors.log.enable", "errors.retry.delay.max.ms"])
        #expect(problems.first { $0.name == "errors.tolerance" }?.message.contains("none, all") == true)
    }

    @Test("validation reports mistakes in errors.*, converters and transforms with the connector's own")
    func validation() throws {
        let settings = [
            "name": "v", "connector.class": "numbers", "topic": "t", "count": "many",
            "errors.tolerance": "sometimes", "value.converter": "com.example.Nope",
            "transforms": "x", "transforms.x.type": "com.example.NoTransform",
        ]
        let problems = try ConnectorValidation.check(settings, registry: .testing).problems
        #expect(Set(problems.map(\.name)) == ["count", "errors.tolerance", "value.converter", "transforms.x.type"], "\(problems)")
    }

    @Test("the shared settings of a valid config are read once, typed")
    func parsed() throws {
        let config = try ConnectorConfig(
            ["name": "s", "connector.class": "recording-sink", "tasks.max": "3", "topics.regex": "a.*", "errors.tolerance": "all",
             "transforms": "r", "transforms.r.type": "org.apache.kafka.connect.transforms.RegexRouter", "transforms.r.regex": "a", "transforms.r.replacement": "b"],
            isSink: true)
        #expect(config.tasksMax == 3)
        #expect(config.sinkTopics == ["^(a.*)$"])
        #expect(config.errors.tolerance == .all)
        #expect(config.transforms == ["r"])
        #expect(throws: RuntimeError.self) { try ConnectorConfig(["name": "s", "connector.class": "x", "tasks.max": "0"], isSink: true) }
    }
}

@Suite("REST listener settings and connector names")
struct RestSettingsTests {
    @Test("a listener off loopback needs authentication or an explicit rest.auth.type=none")
    func networkListener() throws {
        #expect(throws: RuntimeError.self) { try RestConfig(properties: ["listeners": "http://0.0.0.0:8083"]) }
        #expect(throws: RuntimeError.self) { try RestConfig(properties: ["listeners": "http://:8083"]) }
        do {
            _ = try RestConfig(properties: ["listeners": "http://0.0.0.0:8083"])
        } catch let RuntimeError.invalidConnectorConfig(_, problems) {
            #expect(problems.first?.message.contains("rest.auth.type=none") == true)
            #expect(problems.first?.message.contains("rest.auth.type=basic") == true)
        }
        let accepted = try RestConfig(properties: ["listeners": "http://0.0.0.0:8083", "rest.auth.type": "none"])
        #expect(!accepted.isLoopback && accepted.authType == "none")
        #expect(try RestConfig(properties: ["listeners": "http://0.0.0.0:8083", "rest.auth.type": "bearer", "rest.auth.bearer.token": "t"]).authType == "bearer")
        #expect(try RestConfig(properties: [:]).isLoopback)
        #expect(try RestConfig(properties: ["listeners": "http://127.0.0.1:0"]).port == 0)
    }

    @Test("listeners with the upper-case scheme of Kafka's own files are read; https is still refused")
    func upperCaseScheme() throws {
        let upper = try RestConfig(properties: ["listeners": "HTTP://127.0.0.1:18084"])
        #expect(upper.port == 18084 && upper.isLoopback)
        #expect(throws: RuntimeError.self) { try RestConfig(properties: ["listeners": "HTTPS://127.0.0.1:8443"]) }
    }

    @Test("connector names: no control characters, no slash; escaped for logs")
    func connectorNames() throws {
        try ConnectorName.check("a b é?#")
        for bad in ["", "a/b", "line\nforged", "bell\u{07}"] {
            #expect(throws: HerderError.self) { try ConnectorName.check(bad) }
        }
        #expect(ConnectorName.escaped("a\n\"b\u{01}") == #""a\n\"b\u0001""#)
    }
}
