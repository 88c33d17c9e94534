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
}
