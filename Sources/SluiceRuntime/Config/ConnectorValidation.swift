/// Checks a connector config the way Kafka Connect does before it accepts one:
/// the settings every connector shares, the connector's own config definition,
/// and, for sinks, `topics` or `topics.regex`. Every problem is reported at once.
public enum ConnectorValidation {
    /// The settings every connector config shares (``ConnectorConfig/definition``).
    public static var commonDef: ConfigDef { ConnectorConfig.definition }

    /// The outcome of a check.
    public struct Result {
        /// The connector class, when `connector.class` names a known one.
        public var factory: ConnectorRegistry.Factory?
        /// A fresh connector instance of that class.
        public var connector: Connector?
        /// Every problem found.
        public var problems: [ConfigProblem]
        /// Whether the connector is a sink.
        public var isSink: Bool {
            if case .sink? = factory { return true }
            return false
        }
    }

    /// Checks `settings` (which must include `name`); `policy` is the worker's
    /// ``ClientOverridePolicy`` for `producer.override.*` and `consumer.override.*`.
    /// - Throws: ``RuntimeError/unknownConnectorClass(_:known:)`` for a class the registry does not know.
    public static func check(
        _ settings: [String: String], registry: ConnectorRegistry, policy: ClientOverridePolicy = .all
    ) throws -> Result {
        let className = settings["connector.class"] ?? ""
        var factory: ConnectorRegistry.Factory?
        if !className.isEmpty { factory = try registry.factory(for: className) }
        let connector: Connector?
        var isSink = false
        switch factory {
        case let .source(make)?: connector = make()
        case let .sink(make)?:
            connector = make()
            isSink = true
        case nil: connector = nil
        }
        var problems = ConnectorConfig.problems(in: settings, isSink: isSink)
        if let connector {
            for problem in connector.configDef.validate(settings) where !problems.contains(where: { $0.name == problem.name }) {
                problems.append(problem)
            }
        }
        problems += policy.problems(in: settings)
        if !isSink { problems += TopicCreationSettings.problems(in: settings) }
        return Result(factory: factory, connector: connector, problems: problems)
    }
}
