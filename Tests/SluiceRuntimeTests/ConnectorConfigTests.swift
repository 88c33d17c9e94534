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
