import Hummingbird
import Synchronization

/// The REST API's paths and the methods each answers, recorded as the routes are
/// registered, so a request for a known path with another method gets 405 (with
/// `Allow`) and an unknown path 404, both as JSON.
final class EndpointTable: Sendable {
    private let entries = Mutex<[(method: HTTPRequest.Method, segments: [Substring])]>([])

    /// Records that `path` (with `:name` parameters) answers `method`.
    func add(_ method: HTTPRequest.Method, _ path: String) {
        entries.withLock { $0.append((method, path.split(separator: "/"))) }
    }

    /// The methods a request path is answered for (empty: no such path).
    func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        return entries.withLock { entries in
            entries.filter { entry in
                entry.segments.count == segments.count
                    && zip(entry.segments, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
            }.map(\.method)
        }
    }
}

/// Answers every error the router or a handler throws as Kafka Connect's JSON
/// `{"error_code", "message"}`: 404 for unknown paths, 405 for a wrong method,
/// 413 for a body over ``ConnectRoutes/maximumBodyBytes``.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let endpoints: EndpointTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = endpoints.methods(for: request.uri.path)
            guard !allowed.isEmpty else {
                return JSONResponse.error(.notFound, "Unknown endpoint \(request.method.rawValue) \(request.uri.path)")
            }
            var response = JSONResponse.error(
                .methodNotAllowed,
                "HTTP method \(request.method.rawValue) is not supported for \(request.uri.path); use \(allowed.map(\.rawValue).joined(separator: ", "))")
            response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
            return response
        } catch let error as any HTTPResponseError {
            if error.status == .contentTooLarge {
                return JSONResponse.error(
                    .contentTooLarge,
                    "Request body is larger than \(ConnectRoutes.maximumBodyBytes) bytes, the most a connector config may take (one record of the config topic)")
            }
            return JSONResponse.error(error.status, "\(error)")
        }
    }
}

extension Router where Context == BasicRequestContext {
    /// Serves `method path` with `handler` and records it in `endpoints` (so an other
    /// method on the path answers 405).
    func on(
        _ method: HTTPRequest.Method, _ path: String, in endpoints: EndpointTable,
        _ handler: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response
    ) {
        endpoints.add(method, path)
        self.on(RouterPath(path), method: method, use: handler)
    }
}
