/// Errors from the connector runtime.
public enum RuntimeError: Error, Equatable, CustomStringConvertible {
    /// Kafka did not acknowledge some records of a task.
    case deliveryFailed(taskID: Int, failed: Int, reason: String)
    /// A configuration value is missing or malformed.
    case invalidConfig(name: String, value: String, reason: String)
    /// `connector.class` names no known connector.
    case unknownConnectorClass(String, known: [String])
    /// A connector config has invalid settings (all of them are listed).
    case invalidConnectorConfig(connector: String, problems: [ConfigProblem])
    /// The offsets file cannot be written or read.
    case offsetStorage(path: String, reason: String)
    /// The task was asked to stop while it waited for a batch (not a failure).
    case stopped

    public var description: String {
        switch self {
        case let .deliveryFailed(taskID, failed, reason):
            return "task \(taskID): \(failed) records were not delivered: \(reason)"
        case let .invalidConfig(name, value, reason):
            return "invalid value '\(value)' for '\(name)': \(reason)"
        case let .unknownConnectorClass(name, known):
            return "unknown connector.class '\(name)'; known classes: \(known.joined(separator: ", "))"
        case let .invalidConnectorConfig(connector, problems):
            let subject = connector == "worker" ? "the worker configuration" : "connector '\(connector)'"
            return "\(subject) has \(problems.count) invalid setting\(problems.count == 1 ? "" : "s"): "
                + problems.map(\.message).joined(separator: "; ")
        case .stopped:
            return "the task was stopped"
        case let .offsetStorage(path, reason):
            return "offsets file '\(path)': \(reason)"
        }
    }
}
