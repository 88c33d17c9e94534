import Foundation
import Hummingbird
import SluiceRuntime

/// What `GET /health` answers (KIP-1017), with Kafka Connect's status codes and
/// messages, so a probe written for Kafka Connect works unchanged:
///
/// | state | status | body |
/// | --- | --- | --- |
/// | starting | 503 | `{"status": "starting", "message": "Worker is still starting up."}` |
/// | healthy | 200 | `{"status": "healthy", "message": "Worker has completed startup and is ready to handle requests."}` |
/// | unhealthy | 500 | `{"status": "unhealthy", "message": "Worker was unable to handle this request and may be unable to handle other requests. <why>"}` |
///
/// The REST server listens before the worker has joined its cluster (the worker's
/// id is its REST address), so a probe can see `starting`. `unhealthy` is the
/// herder's ``Herder/healthProblem(timeout:)``: its changes have been stuck for
/// ``timeoutSeconds``.
enum WorkerHealth: Equatable {
    /// The server listens but the worker has not started yet.
    case starting
    /// The worker has started and serves requests.
    case healthy
    /// The worker has started but cannot take requests now; why.
    case unhealthy(String)

    /// How long the herder may be stuck before the worker is unhealthy.
    static let timeoutSeconds = 10.0

    /// The health of the worker `herder` (nil: not attached yet). Asked on a thread of
    /// its own: a herder may take up to ``timeoutSeconds`` to answer.
    static func of(_ herder: (any Herder)?) async -> WorkerHealth {
        guard let herder else { return .starting }
        let problem = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: herder.healthProblem(timeout: timeoutSeconds)) }.start()
        }
        return problem.map { .unhealthy($0) } ?? .healthy
    }

    /// The `status` field.
    var name: String {
        switch self {
        case .starting: return "starting"
        case .healthy: return "healthy"
        case .unhealthy: return "unhealthy"
        }
    }

    /// The HTTP status a probe sees.
    var status: HTTPResponse.Status {
        switch self {
        case .starting: return .serviceUnavailable
        case .healthy: return .ok
        case .unhealthy: return .internalServerError
        }
    }

    /// Kafka Connect's message for this state (with the reason, when unhealthy).
    var message: String {
        switch self {
        case .starting: return "Worker is still starting up."
        case .healthy: return "Worker has completed startup and is ready to handle requests."
        case .unhealthy(let why): return "Worker was unable to handle this request and may be unable to handle other requests. " + why
        }
    }

    /// The response: `{"status": ..., "message": ...}`.
    var response: Response {
        JSONResponse.make(status, ["status": name, "message": message])
    }

    /// The path probes ask.
    static let path = "/health"
}
