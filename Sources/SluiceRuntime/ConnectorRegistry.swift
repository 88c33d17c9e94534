/// The connector classes a worker can run, by every name users write for them: a
/// short name (`FileStreamSource`) and Kafka Connect class names
/// (`org.apache.kafka.connect.file.FileStreamSourceConnector`).
public struct ConnectorRegistry: Sendable {
    /// A connector class.
    public enum Factory: Sendable {
        case source(@Sendable () -> SourceConnector)
        case sink(@Sendable () -> SinkConnector)
    }

    private var factories: [String: Factory] = [:]
    private var primaryNames: [String] = []

    /// An empty registry.
    public init() {}

    /// Registers `factory` under `names` (the first is the one listed to users).
    public mutating func register(_ names: [String], _ factory: Factory) {
        guard let primary = names.first else { return }
        primaryNames.append(primary)
        for name in names { factories[name] = factory }
    }

    /// The names users see, one per class.
    public var knownNames: [String] { primaryNames }

    /// The class for `connector.class`.
    /// - Throws: ``RuntimeError/unknownConnectorClass(_:known:)`` listing the known ones.
    public func factory(for className: String) throws -> Factory {
        if let factory = factories[className] { return factory }
        // Kafka Connect also accepts the simple class name and drops a "Connector" suffix.
        let simple = String(className.split(separator: ".").last ?? Substring(className))
        for candidate in [simple, simple.hasSuffix("Connector") ? String(simple.dropLast(9)) : simple] {
            if let factory = factories[candidate] { return factory }
        }
        throw RuntimeError.unknownConnectorClass(className, known: knownNames)
    }
}
