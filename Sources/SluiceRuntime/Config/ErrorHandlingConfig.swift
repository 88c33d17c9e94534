/// A connector's `errors.*` settings, as Kafka Connect names them, parsed in one
/// place: the runners, the record processors and validation all read this.
///
/// | key | meaning | default |
/// | --- | --- | --- |
/// | `errors.tolerance` | `none` (a bad record fails the task) or `all` (it is skipped), any case | `none` |
/// | `errors.retry.timeout` | ms to retry a call that threw ``RetriableError`` (0: never, -1: forever) | 0 |
/// | `errors.retry.delay.max.ms` | the longest wait between retries | 60000 |
/// | `errors.log.enable` | log each failed record's context | false |
/// | `errors.log.include.messages` | also log the record itself | false |
/// | `errors.deadletterqueue.topic.name` | where skipped records go, as they were stored | — |
/// | `errors.deadletterqueue.topic.replication.factor` | that topic's replication factor when created | 3 |
/// | `errors.deadletterqueue.context.headers.enable` | add `__connect.errors.*` headers | false |
public struct ErrorHandlingConfig: Sendable, Equatable {
    /// What a record that cannot be converted or transformed does.
    public enum Tolerance: String, Sendable {
        /// It fails the task.
        case none
        /// It is skipped (and sent to the dead-letter topic when one is set).
        case all
    }

    /// `errors.tolerance`.
    public var tolerance: Tolerance
    /// `errors.retry.timeout`, ms.
    public var retryTimeoutMs: Int
    /// `errors.retry.delay.max.ms`.
    public var retryDelayMaxMs: Int
    /// `errors.log.enable`.
    public var logEnabled: Bool
    /// `errors.log.include.messages`.
    public var logIncludesMessages: Bool
    /// `errors.deadletterqueue.topic.name` (nil when unset or empty).
    public var deadLetterTopic: String?
    /// `errors.deadletterqueue.topic.replication.factor`.
    public var deadLetterReplicationFactor: Int
    /// `errors.deadletterqueue.context.headers.enable`.
    public var contextHeaders: Bool

    /// The settings, for validation and the validate endpoint.
    public static let definition = ConfigDef()
        .define("errors.tolerance", .string, default: "none", documentation: "none: a record that fails conversion or a transform fails the task; all: it is skipped.")
        .define("errors.retry.timeout", .long, default: "0", minimum: -1, documentation: "Milliseconds to retry a retriable failure (0: never, -1: forever).")
        .define("errors.retry.delay.max.ms", .long, default: "60000", minimum: 1, documentation: "The longest wait between retries.")
        .define("errors.log.enable", .boolean, default: "false", documentation: "Log each failure with its context.")
        .define("errors.log.include.messages", .boolean, default: "false", documentation: "Also log the failed record.")
        .define("errors.deadletterqueue.topic.name", .string, default: "", documentation: "The dead-letter topic for skipped records.")
        .define("errors.deadletterqueue.topic.replication.factor", .int, default: "3", minimum: -1, documentation: "The dead-letter topic's replication factor when it is created.")
        .define("errors.deadletterqueue.context.headers.enable", .boolean, default: "false", documentation: "Add __connect.errors.* headers to dead letters.")

    /// Every problem with the `errors.*` settings of `config`.
    public static func problems(in config: [String: String]) -> [ConfigProblem] {
        var problems = definition.validate(config)
        if let tolerance = config["errors.tolerance"], Tolerance(rawValue: tolerance.lowercased()) == nil {
            problems.append(ConfigProblem(
                name: "errors.tolerance", value: tolerance,
                message: "Invalid value \(tolerance) for configuration errors.tolerance: String must be one of (case insensitive): none, all"))
        }
        return problems
    }

    /// The `errors.*` settings of a connector config.
    /// - Throws: ``RuntimeError/invalidConnectorConfig(connector:problems:)`` listing every bad one.
    public init(config: [String: String], connector: String = "") throws {
        let problems = Self.problems(in: config)
        guard problems.isEmpty else { throw RuntimeError.invalidConnectorConfig(connector: connector, problems: problems) }
        let values = try Self.definition.parse(config, owner: connector)
        tolerance = Tolerance(rawValue: values.string("errors.tolerance").lowercased()) ?? .none
        retryTimeoutMs = values.int("errors.retry.timeout")
        retryDelayMaxMs = values.int("errors.retry.delay.max.ms")
        logEnabled = values.bool("errors.log.enable")
        logIncludesMessages = values.bool("errors.log.include.messages")
        let topic = values.string("errors.deadletterqueue.topic.name").trimmingCharacters(in: .whitespaces)
        deadLetterTopic = topic.isEmpty ? nil : topic
        deadLetterReplicationFactor = values.int("errors.deadletterqueue.topic.replication.factor")
        contextHeaders = values.bool("errors.deadletterqueue.context.headers.enable")
    }
}
