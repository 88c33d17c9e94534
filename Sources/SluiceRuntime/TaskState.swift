/// Where a task runner is in its life, named as Kafka Connect's task states.
public enum TaskState: String, Sendable, CaseIterable {
    /// Created, not started.
    case unassigned = "UNASSIGNED"
    /// Its thread runs the task.
    case running = "RUNNING"
    /// It ended with an error (``TaskRunner/error``).
    case failed = "FAILED"
    /// It ended: asked to stop, or a bounded source reached its end.
    case stopped = "STOPPED"

    /// Whether the runner's thread has ended (or is about to).
    public var hasEnded: Bool { self == .failed || self == .stopped }
}
