import Foundation
import Hummingbird
import Logging
import SluiceRuntime
import Synchronization

/// The worker's REST server (Hummingbird on SwiftNIO): the Kafka Connect REST API
/// and `/metrics`, behind ``RestAuthentication``.
///
/// The server starts before the worker joins its group, because the worker's id
/// is its REST address; until ``attach(_:)`` is called every request answers 503
/// (`GET /health` with Kafka Connect's `starting` body).
///
/// ```swift
/// let server = RestServer(host: "127.0.0.1", port: 0, authentication: .none)
/// let port = try server.start()
/// let herder = try DistributedHerder(config: config, registry: registry, restAddress: "127.0.0.1:\(port)")
/// server.attach(herder)
/// ```
public final class RestServer: Sendable {
    private let host: String
    private let port: Int
    private let authentication: RestAuthentication
    private let box = WorkerBox()
    private let task = Mutex<Task<Void, any Error>?>(nil)
    /// Where the server's tasks run; nil: Swift's cooperative threads.
    private let executor: (any TaskExecutor)?
    /// The loggers `/admin/loggers` shows and changes.
    private let logLevels: LogLevels

    /// A server for `host:port` (port 0: any free port).
    /// - Parameter logLevels: the loggers `/admin/loggers` shows and changes (the process's own by default).
    public convenience init(host: String, port: Int, authentication: RestAuthentication, logLevels: LogLevels = .shared) {
        self.init(host: host, port: port, authentication: authentication, executor: nil, logLevels: logLevels)
    }

    /// A server whose tasks (the listener and every request's handler) prefer
    /// `executor`: tests that run beside blocking tests give it threads of its own, so
    /// it answers while the cooperative threads are all busy.
    package init(host: String, port: Int, authentication: RestAuthentication, executor: (any TaskExecutor)?, logLevels: LogLevels = .shared) {
        self.logLevels = logLevels
        self.host = host
        self.port = port
        self.authentication = authentication
        self.executor = executor
    }

    /// Starts listening and returns the bound port.
    /// - Throws: the bind error (e.g. the port is taken), within 10 s.
    public func start() throws -> Int {
        let router = makeRouter()
        let bound = Mutex<Result<Int, any Error>?>(nil)
        let levels = logLevels
        let logger = Logger(label: "sluice.rest") { label in LevelledLogHandler(name: label, levels: levels) }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "sluice"),
            onServerRunning: { channel in
                bound.withLock { $0 = .success(channel.localAddress?.port ?? 0) }
            },
            logger: logger)
        let running = Task(executorPreference: executor) {
            do { try await app.run() } catch {
                bound.withLock { if $0 == nil { $0 = .failure(error) } }
                throw error
            }
        }
        task.withLock { $0 = running }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let result = bound.withLock({ $0 }) { return try result.get() }
            usleep(10_000)
        }
        throw RestServerError.notListening(host: host, port: port)
    }

    /// The routes the server answers: authentication, readiness, the Kafka Connect
    /// REST API and `/metrics` (also what in-process tests drive).
    package func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let endpoints = EndpointTable()
        router.add(middleware: AuthenticationMiddleware(authentication: authentication))
        router.add(middleware: ReadinessMiddleware(box: box))
        router.add(middleware: JSONErrorMiddleware(endpoints: endpoints))
        ConnectRoutes(box: box).register(on: router, endpoints: endpoints)
        AdminLoggerRoutes(levels: logLevels, box: box).register(on: router, endpoints: endpoints)
        return router
    }

    /// Serves `herder` from now on.
    public func attach(_ herder: any Herder) {
        box.attach(herder)
    }

    /// Stops listening.
    public func stop() {
        task.withLock { $0?.cancel() }
    }
}

/// Why the REST server did not start.
public enum RestServerError: Error, CustomStringConvertible {
    /// Nothing was listening within 10 s.
    case notListening(host: String, port: Int)

    public var description: String {
        switch self {
        case let .notListening(host, port): return "the REST server did not start listening on \(host):\(port)"
        }
    }
}

/// The worker the routes serve, set once it has started.
final class WorkerBox: Sendable {
    struct Attached {
        let herder: any Herder
        let exporter: PrometheusExporter
    }
    private let value = Mutex<Attached?>(nil)

    var attached: Attached? { value.withLock { $0 } }

    func attach(_ herder: any Herder) {
        value.withLock { $0 = Attached(herder: herder, exporter: PrometheusExporter()) }
    }
}

/// Answers 503 until the worker is attached; `GET /health` passes, to answer
/// `starting` itself (``WorkerHealth``).
struct ReadinessMiddleware<Context: RequestContext>: RouterMiddleware {
    let box: WorkerBox

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard box.attached != nil || request.uri.path == WorkerHealth.path else {
            return JSONResponse.error(.serviceUnavailable, "The worker is still starting")
        }
        return try await next(request, context)
    }
}
