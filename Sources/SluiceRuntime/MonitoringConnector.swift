/// A connector whose task configs can change while it runs, because what it reads
/// changes outside Sluice: the SQL source's tables are created and dropped.
///
/// Kafka Connect's connectors watch for such changes themselves and call
/// `ConnectorContext.requestTaskReconfiguration()`. Sluice asks instead: every
/// ``taskConfigsRecheckIntervalMs`` the runtime starts the connector afresh with the
/// same config and asks it for its task configs again; when they differ from those
/// the tasks run with, the tasks are reconfigured (stopped and started with the new
/// configs, resuming from their committed offsets), in standalone mode by the worker,
/// in distributed mode by the leader, which writes the new set to the config topic.
/// A recheck that fails (the database is down) is logged and the tasks run on.
public protocol MonitoringConnector: Connector {
    /// Milliseconds between two rechecks of a started connector; nil: never.
    var taskConfigsRecheckIntervalMs: Int? { get }

    /// Task configs as ``Connector/taskConfigs(maxTasks:)`` makes them, told the
    /// configs the connector's tasks run with now (empty when none run), so that a
    /// choice that depends on the moment (the SQL source's key ranges, cut from a
    /// growing table's bounds) can stay as it is while what it watches has not
    /// changed. The runtime calls this one at every recheck and reconfiguration.
    func taskConfigs(maxTasks: Int, running: [[String: String]]) -> [[String: String]]
}

extension MonitoringConnector {
    /// The configs ``Connector/taskConfigs(maxTasks:)`` makes, whatever runs now.
    public func taskConfigs(maxTasks: Int, running: [[String: String]]) -> [[String: String]] {
        taskConfigs(maxTasks: maxTasks)
    }
}

extension Connector {
    /// Task configs for `maxTasks`, through ``MonitoringConnector/taskConfigs(maxTasks:running:)``
    /// for a monitoring connector.
    func taskConfigs(maxTasks: Int, running: [[String: String]]) -> [[String: String]] {
        (self as? MonitoringConnector)?.taskConfigs(maxTasks: maxTasks, running: running) ?? taskConfigs(maxTasks: maxTasks)
    }
}
