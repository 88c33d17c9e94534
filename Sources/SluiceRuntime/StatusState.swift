/// The state a connector's or task's status shows, as Kafka Connect names them.
public enum StatusState: String, Sendable, CaseIterable {
    /// Not running anywhere yet.
    case unassigned = "UNASSIGNED"
    /// Running.
    case running = "RUNNING"
    /// Paused: assigned, but idle.
    case paused = "PAUSED"
    /// Stopped: no tasks (offsets may be changed), or a bounded source that ended.
    case stopped = "STOPPED"
    /// Failed; the status's trace says why.
    case failed = "FAILED"
    /// Being restarted.
    case restarting = "RESTARTING"
}
