import Foundation
import Hummingbird
import SluiceRuntime

/// Who may call the REST API: anyone (`rest.auth.type=none`), holders of a
/// bearer token (`bearer`), or users with a password (`basic`). A request without
/// valid credentials gets 401 with a `WWW-Authenticate` challenge; credentials are
/// never logged.
public enum RestAuthentication: Sendable {
    /// No check.
    case none
    /// `Authorization: Bearer <token>`.
    case bearer(token: String)
    /// `Authorization: Basic base64(user:password)`.
    case basic(users: [String: String])

    /// The authentication a worker file's `rest.auth.*` settings ask for.
    public init(config: RestConfig) {
        switch config.authType {
        case "basic": self = .basic(users: config.basicUsers)
        case "bearer": self = .bearer(token: config.bearerToken ?? "")
        default: self = .none
        }
    }

    /// Whether `header` (the Authorization value) is accepted.
    func accepts(_ header: String?) -> Bool {
        switch self {
        case .none:
            return true
        case let .bearer(token):
            guard let header, header.hasPrefix("Bearer ") else { return false }
            return Self.constantTimeEquals(String(header.dropFirst(7)), token)
        case let .basic(users):
            guard let header, header.hasPrefix("Basic "),
                let decoded = Data(base64Encoded: String(header.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
                let colon = decoded.firstIndex(of: ":")
            else { return false }
            let user = String(decoded[..<colon])
            let password = String(decoded[decoded.index(after: colon)...])
            guard let expected = users[user] else {
                _ = Self.constantTimeEquals(password, password)
                return false
            }
            return Self.constantTimeEquals(password, expected)
        }
    }

    var challenge: String {
        switch self {
        case .none: return ""
        case .bearer: return "Bearer realm=\"sluice\""
        case .basic: return "Basic realm=\"sluice\""
        }
    }

    /// Compares without returning early, so timing does not reveal a prefix.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let x = index < left.count ? left[index] : 0
            let y = index < right.count ? right[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}

/// Rejects requests that ``RestAuthentication`` does not accept.
struct AuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    let authentication: RestAuthentication

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if authentication.accepts(request.headers[.authorization]) {
            return try await next(request, context)
        }
        var response = JSONResponse.error(.unauthorized, "Credentials are missing or wrong")
        response.headers[.wwwAuthenticate] = authentication.challenge
        return response
    }
}
