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
