import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import SluiceRuntime

/// Kafka Connect's `/admin/loggers` (KIP-495): the levels of the worker's loggers,
/// read and changed while it runs.
///
/// - `GET /admin/loggers`: every logger with `level` and `last_modified`.
/// - `GET /admin/loggers/{name}`: one logger's level; 404 for an unknown logger.
/// - `PUT /admin/loggers/{name}` with `{"level": "DEBUG"}`: sets the level of the
///   logger and its descendants; 200 with the loggers changed. `scope=worker` (the
///   default) changes this worker; `scope=cluster` answers 204 and changes every
///   worker through the config topic (``ClusterLoggerLevel``; standalone: this one).
struct AdminLoggerRoutes: Sendable {
    let levels: LogLevels
    let box: WorkerBox

    func register(on router: Router<BasicRequestContext>, endpoints: EndpointTable) {
        router.on(.get, "/admin/loggers", in: endpoints) { _, _ in
            let all = levels.all().mapValues { setting -> [String: Any] in
                ["level": setting.level.rawValue, "last_modified": setting.lastModifiedMs.map { NSNumber(value: $0) } ?? NSNull()]
            }
            return JSONResponse.make(.ok, all)
        }
        router.on(.get, "/admin/loggers/:logger", in: endpoints) { _, context in
            let name = try Self.loggerName(context)
            guard levels.exists(name) else { return JSONResponse.error(.notFound, "Logger \(name) not found.") }
            let setting = levels.all()[name]
            return JSONResponse.make(.ok, [
                "level": levels.level(of: name).rawValue,
                "last_modified": setting?.lastModifiedMs.map { NSNumber(value: $0) } ?? NSNull(),
            ])
        }
        router.on(.put, "/admin/loggers/:logger", in: endpoints) { request, context in
            let name = try Self.loggerName(context)
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any]
            guard let text = object?["level"] as? String else {
                return JSONResponse.error(.badRequest, "The request body must specify a 'level' field")
            }
            guard let level = LogLevel(named: text) else {
                return JSONResponse.error(.badRequest, "Invalid log level '\(text)'. Expected one of \(LogLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            switch request.uri.queryParameters.get("scope")?.lowercased() ?? "worker" {
            case "worker": return JSONResponse.make(.ok, levels.set(name, to: level))
            case "cluster":
                // Written to the config topic, which every worker reads (standalone: this worker).
                let herder = box.attached?.herder
                let namespace = name
                let told = await withCheckedContinuation { continuation in
                    DispatchQueue.global().async { continuation.resume(returning: Result { try herder?.setClusterLoggerLevel(namespace, level) ?? false }) }
                }
                switch told {
                case .success(true): break
                case .success(false): levels.set(name, to: level)
                case let .failure(error): return ConnectRoutes.response(for: error)
                }
                return JSONResponse.empty(.noContent)
            case let other:
                return JSONResponse.error(.badRequest, "Invalid scope '\(other)': expected worker or cluster")
            }
        }
    }

    /// The `{logger}` path parameter, percent-decoded; it must be a dotted name.
    static func loggerName(_ context: BasicRequestContext) throws -> String {
        let raw = try context.parameters.require("logger")
        guard let name = raw.removingPercentEncoding, !name.isEmpty,
            name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "._-$".unicodeScalars.contains($0) })
        else {
            throw HerderError.badRequest("Logger name '\(raw)' is not a dotted name of letters, digits, '.', '_', '-' or '$'")
        }
        return name
    }
}
