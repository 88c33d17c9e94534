import Foundation
import SluiceConnectors
import SluiceHTTP
import SluiceRuntime

/// A ``RestServer`` listening on a free loopback port for one test, reached over
/// real TCP with ``BlockingHTTPClient`` as a user's `curl` would; stopped when the
/// test lets go of it.
///
/// The server runs on ``DedicatedThreadExecutor/shared``, and starting it and
/// calling it (both blocking) run on threads of their own: Swift's cooperative
/// threads (two on a two-core machine) are often all held by blocking tests running
/// in parallel, and a server or a call waiting for one of them would time out.
final class ListeningRestServer: Sendable {
    let server: RestServer
    let herder: FakeHerder
    /// `http://127.0.0.1:<port>` (no trailing slash).
    let url: String

    private init(server: RestServer, herder: FakeHerder, port: Int) {
        self.server = server
        self.herder = herder
        url = "http://127.0.0.1:\(port)"
    }

    /// Starts a server; with `attached` the fake herder is served at once, without
    /// it the server answers as a worker that is still starting.
    static func start(
        attached: Bool = true, herder: FakeHerder = FakeHerder(registry: BuiltinConnectors.registry), logLevels: LogLevels = LogLevels()
    ) async throws -> ListeningRestServer {
        let server = RestServer(host: "127.0.0.1", port: 0, authentication: .none, executor: DedicatedThreadExecutor.shared, logLevels: logLevels)
        let port = try await offCooperativeThreads { try server.start() }
        if attached { server.attach(herder) }
        return ListeningRestServer(server: server, herder: herder, port: port)
    }

    deinit { server.stop() }

    /// Sends `method path` with an optional JSON body and returns the reply.
    func call(_ method: String, _ path: String, json: Any? = nil) async throws -> BlockingHTTPClient.Reply {
        let url = url + path
        let body = try json.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        return try await Self.offCooperativeThreads { try BlockingHTTPClient.call(method, url, raw: body, timeoutSeconds: 10) }
    }

    /// Runs blocking `body` on a thread of its own and waits for it without holding
    /// one (not on a dispatch queue: on Linux the cooperative threads are libdispatch's).
    private static func offCooperativeThreads<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
