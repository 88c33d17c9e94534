/// Why a distributed worker refused a request; the REST API maps each to Kafka
/// Connect's status code.
public enum HerderError: Error, Equatable, CustomStringConvertible {
    /// No connector of that name (404).
    case notFound(String)
    /// No such task of the connector (404).
    case taskNotFound(ConnectorTaskID)
    /// A connector of that name exists (409).
    case alreadyExists(String)
    /// A rebalance is under way; try again shortly (409).
    case rebalancing
    /// The request needs the connector in another state (400).
    case badState(String)
    /// The request itself is wrong (400).
    case badRequest(String)
    /// The connector is STOPPED but its tasks have not all stopped yet (409).
    case tasksStillStopping(String)
    /// Only the leader changes connector configs; the REST layer forwards the request
    /// to the leader at this URL (409 if it reaches a worker that cannot forward it).
    case notLeader(leaderURL: String)

    public var description: String {
        switch self {
        case let .notFound(name): return "Connector \(name) not found"
        case let .taskNotFound(id): return "Task \(id.task) of connector \(id.connector) not found"
        case let .alreadyExists(name): return "Connector \(name) already exists"
        case .rebalancing:
            return "Cannot complete request because of a conflicting operation (e.g. worker rebalance)"
        case let .badState(message): return message
        case let .badRequest(message): return message
        case let .tasksStillStopping(name):
            return "The tasks of connector \(name) are still stopping; try again shortly"
        case let .notLeader(url):
            return "Cannot complete request because this worker is not the leader (the leader is \(url.isEmpty ? "not known yet" : url)); try again shortly"
        }
    }
}

extension HerderError {
    /// Kafka Connect's refusal to change the offsets of a connector that is not STOPPED.
    static func notStopped(_ name: String) -> HerderError {
        .badState("Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/\(name)/stop' endpoint")
    }

    /// The refusal of a source-shaped offsets change for a sink connector.
    static func sinkOffsetsShape(_ name: String) -> HerderError {
        .badRequest("Connector \(name) is a sink connector: its offsets are its consumer group's, {\"partition\": {\"kafka_topic\": T, \"kafka_partition\": N}, \"offset\": {\"kafka_offset\": N}}")
    }

    /// The refusal of a sink-shaped offsets change for a source connector.
    static func sourceOffsetsShape(_ name: String) -> HerderError {
        .badRequest("Connector \(name) is a source connector: its offsets are {\"partition\": {...}, \"offset\": {...}} of its own source")
    }
}
