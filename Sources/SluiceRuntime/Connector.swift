/// A connector: validates its config and splits its work into task configs, like
/// Kafka Connect's `Connector`. The runtime creates tasks from ``taskConfigs(maxTasks:)``.
public protocol Connector: AnyObject {
    /// The settings this connector accepts.
    var configDef: ConfigDef { get }
    /// Starts the connector with its validated config.
    func start(config: [String: String]) throws
    /// Up to `maxTasks` task configs; their number is the number of tasks that run.
    func taskConfigs(maxTasks: Int) -> [[String: String]]
    /// Stops the connector.
    func stop()
}

/// A connector whose tasks read from an external system and write to Kafka.
public protocol SourceConnector: Connector {
    /// A new, unstarted task.
    func makeTask() -> SourceTask
}

/// A connector whose tasks read from Kafka and write to an external system.
public protocol SinkConnector: Connector {
    /// A new, unstarted task.
    func makeTask() -> SinkTask
}

extension Connector {
    /// Does nothing.
    public func stop() {}
}
