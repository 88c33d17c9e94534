/// Errors of Sluice's own Kafka protocol client (group membership and metadata).
public enum ProtocolError: Error, Equatable, CustomStringConvertible {
    /// No connection to `address` could be made, or it broke.
    case connection(address: String, reason: String)
    /// A response did not parse.
    case malformed(String)
    /// The broker answered with a Kafka error code.
    case broker(api: String, code: Int16)
    /// The broker does not serve an API this client needs.
    case unsupported(api: String)

    /// Kafka's name for an error code, for the codes the group protocol meets.
    public static func name(of code: Int16) -> String {
        switch code {
        case 0: return "NONE"
        case 3: return "UNKNOWN_TOPIC_OR_PARTITION"
        case 7: return "REQUEST_TIMED_OUT"
        case 14: return "COORDINATOR_LOAD_IN_PROGRESS"
        case 15: return "COORDINATOR_NOT_AVAILABLE"
        case 16: return "NOT_COORDINATOR"
        case 22: return "ILLEGAL_GENERATION"
        case 23: return "INCONSISTENT_GROUP_PROTOCOL"
        case 24: return "INVALID_GROUP_ID"
        case 25: return "UNKNOWN_MEMBER_ID"
        case 26: return "INVALID_SESSION_TIMEOUT"
        case 27: return "REBALANCE_IN_PROGRESS"
        case 30: return "GROUP_AUTHORIZATION_FAILED"
        case 35: return "UNSUPPORTED_VERSION"
        case 79: return "MEMBER_ID_REQUIRED"
        default: return "error \(code)"
        }
    }

    public var description: String {
        switch self {
        case let .connection(address, reason): return "cannot talk to the broker at \(address): \(reason)"
        case let .malformed(what): return "malformed Kafka response: \(what)"
        case let .broker(api, code): return "\(api) failed: \(Self.name(of: code))"
        case let .unsupported(api): return "the cluster does not serve \(api)"
        }
    }
}
