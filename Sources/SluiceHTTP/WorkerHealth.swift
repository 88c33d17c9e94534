import Hummingbird

/// What `GET /health` answers (KIP-1017), with Kafka Connect's status codes and
/// messages, so a probe written for Kafka Connect works unchanged:
///
/// | state | status | body |
/// | --- | --- | --- |
/// | starting | 503 | `{"status": "starting", "message": "Worker is still starting up."}` |
/// | healthy | 200 | `{"status": "healthy", "message": "Worker has completed startup and is ready to handle requests."}` |
///
/// The REST server listens before the worker has joined its cluster (the worker's
/// id is its REST address), so a probe can see `starting`.
enum WorkerHealth: String {
    /// The server listens but the worker has not started yet.
    case starting
    /// The worker has started and serves requests.
    case healthy

    /// The health of a server whose worker is (or is not yet) attached.
    init(workerAttached: Bool) {
        self = workerAttached ? .healthy : .starting
    }

    /// The HTTP status a probe sees.
    var status: HTTPResponse.Status {
        switch self {
        case .starting: return .serviceUnavailable
        case .healthy: return .ok
        }
    }

    /// Kafka Connect's message for this state.
    var message: String {
        switch self {
        case .starting: return "Worker is still starting up."
        case .healthy: return "Worker has completed startup and is ready to handle requests."
        }
    }

    /// The response: `{"status": ..., "message": ...}`.
    var response: Response {
        JSONResponse.make(status, ["status": rawValue, "message": message])
    }

    /// The path probes ask.
    static let path = "/health"
}
