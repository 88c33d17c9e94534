/// What users asked a connector to do: run, pause (tasks kept but idle) or stop
/// (no tasks at all, so its offsets can be changed), as Kafka Connect's target states.
public enum TargetState: String, Codable, Sendable {
    /// Running.
    case started = "STARTED"
    /// Paused through `PUT /connectors/{name}/pause`.
    case paused = "PAUSED"
    /// Stopped through `PUT /connectors/{name}/stop`.
    case stopped = "STOPPED"
}
