/// Errors from the connector runtime.
public enum RuntimeError: Error, Equatable, CustomStringConvertible {
    /// Kafka did not acknowledge some records of a task.
    case deliveryFailed(taskID: Int, failed: Int, reason: String)
    /// A configuration value is missing or malformed.
    case invalidConfig(name: String, value: String, reason: String)

    public var description: String {
        switch self {
        case let .deliveryFailed(taskID, failed, reason):
            return "task \(taskID): \(failed) records were not delivered: \(reason)"
        case let .invalidConfig(name, value, reason):
            return "invalid value '\(value)' for '\(name)': \(reason)"
        }
    }
}
