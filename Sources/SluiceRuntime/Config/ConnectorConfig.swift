/// The settings every connector shares, parsed and checked in one place: `name`,
/// `connector.class`, `tasks.max`, a sink's `topics`/`topics.regex`, the converters,
/// the transforms and predicates, and every `errors.*` setting
/// (``ErrorHandlingConfig``). Validation (`ConnectorValidation`, the REST validate
/// endpoint) reports every mistake in them at once; the runtime reads them from here.
public struct ConnectorConfig: Sendable {
    /// `name`.
    public var name: String
    /// `connector.class`.
    public var connectorClass: String
    /// `tasks.max`.
    public var tasksMax: Int
    /// The `errors.*` settings.
    public var errors: ErrorHandlingConfig
    /// A sink's subscription (``SinkTopics``); empty for a source.
    public var sinkTopics: [String]
    /// The transform aliases of `transforms`, in order.
    public var transforms: [String]

    /// The shared settings, as the validate endpoint lists them.
    public static let definition: ConfigDef = {
        var definition = ConfigDef()
            .define("name", .string, documentation: "The connector's unique name.")
            .define("connector.class", .string, documentation: "The connector class, by short or Kafka Connect class name.")
            .define("tasks.max", .int, default: "1", minimum: 1, documentation: "The most tasks to run.")
            .define("key.converter", .string, default: "", documentation: "The converter of record keys (the worker's when empty).")
            .define("value.converter", .string, default: "", documentation: "The converter of record values (the worker's when empty).")
            .define(HeaderConverterSetting.key, .string, default: "", documentation: "The header converter: SimpleHeaderConverter (Kafka Connect's default), StringConverter or ByteArrayConverter, all of which leave Sluice's header bytes unchanged; others are refused.")
            .define("transforms", .list, default: "", documentation: "Aliases of the transforms to apply, in order.")
            .define("predicates", .list, default: "", documentation: "Aliases of the predicates transforms may use.")
            .define(ExactlyOnceSupport.connectorKey, .string, default: "requested", documentation: "requested (the default) or required; Sluice does not support exactly-once delivery yet and refuses required.")
        for key in ErrorHandlingConfig.definition.keys {
            definition = definition.define(key.name, key.type, default: key.defaultValue, allowed: key.allowed, minimum: key.minimum, documentation: key.documentation)
        }
        return definition
    }()

    /// Every problem with the shared settings of `config`.
    public static func problems(in config: [String: String], isSink: Bool) -> [ConfigProblem] {
        var problems = definition.validate(config).filter { !$0.name.hasPrefix("errors.") }
        problems += ErrorHandlingConfig.problems(in: config)
        problems += ExactlyOnceSupport.connectorProblems(in: config)
        problems += HeaderConverterSetting.problems(in: config)
        if isSink { problems += SinkTopics.problems(in: config) }
        for role in ConverterDefaults.roles where !(config[role] ?? "").isEmpty {
            let settingProblems = ConverterDefinitions.problems(prefix: role, className: config[role] ?? "", config: config)
            problems += settingProblems
            guard settingProblems.isEmpty else { continue }
            do {
                _ = try ConverterFactory.make(prefix: role, config: config, defaultName: "bytes")
            } catch let RuntimeError.invalidConfig(name, value, reason) {
                problems.append(ConfigProblem(name: name, value: value, message: "Invalid value \(value) for configuration \(name): \(reason)"))
            } catch {
                problems.append(ConfigProblem(name: role, value: config[role], message: "\(error)"))
            }
        }
        do {
            _ = try TransformChain(config: config)
        } catch let RuntimeError.invalidConfig(name, value, reason) {
            problems.append(ConfigProblem(name: name, value: value, message: "Invalid value \(value) for configuration \(name): \(reason)"))
        } catch {
            problems.append(ConfigProblem(name: "transforms", value: config["transforms"], message: "\(error)"))
        }
        var seen = Set<String>()
        return problems.filter { seen.insert($0.name).inserted }
    }

    /// The shared settings of a connector config.
    /// - Throws: ``RuntimeError/invalidConnectorConfig(connector:problems:)`` listing every bad one.
    public init(_ config: [String: String], isSink: Bool) throws {
        let name = config["name"] ?? ""
        let problems = Self.problems(in: config, isSink: isSink)
        guard problems.isEmpty else { throw RuntimeError.invalidConnectorConfig(connector: name, problems: problems) }
        let values = try Self.definition.parse(config, owner: name)
        self.name = name
        connectorClass = values.string("connector.class")
        tasksMax = values.int("tasks.max")
        errors = try ErrorHandlingConfig(config: config, connector: name)
        sinkTopics = isSink ? SinkTopics.subscription(from: config) : []
        transforms = values.list("transforms")
    }
}
