import Foundation
import SluiceConnectors
import SluiceHTTP
import SluiceRuntime
import Testing

/// `/admin/loggers` (KIP-495) over real TCP, on a server with loggers of its own.
@Suite("Admin loggers endpoints")
struct AdminLoggerRoutesTests {
    @Test("GET lists every logger with level and last_modified; PUT sets a namespace and answers the loggers it changed; GET of one shows it")
    func listAndSet() async throws {
        let levels = LogLevels()
        let server = try await ListeningRestServer.start(logLevels: levels)
        let all = try await server.call("GET", "/admin/loggers")
        #expect(all.status == 200)
        #expect((all.object["root"] as? [String: Any])?["level"] as? String == "INFO")
        #expect((all.object["sluice.worker"] as? [String: Any])?["level"] as? String == "INFO")
        #expect((all.object["sluice.rest"] as? [String: Any])?["last_modified"] is NSNull)

        let set = try await server.call("PUT", "/admin/loggers/sluice", json: ["level": "debug"])
        #expect(set.status == 200, "\(set.text)")
        #expect(try JSONSerialization.jsonObject(with: Data(set.text.utf8)) as? [String] == ["sluice", "sluice.errors", "sluice.rest", "sluice.worker"])
        #expect(levels.level(of: "sluice.worker") == .debug, "the server's own loggers changed")
        let one = try await server.call("GET", "/admin/loggers/sluice.worker")
        #expect(one.status == 200)
        #expect(one.object["level"] as? String == "DEBUG")
        #expect((one.object["last_modified"] as? NSNumber) != nil)
    }

    @Test("an unknown logger is a 404; a missing or bad level and a bad scope are 400s that change nothing")
    func refused() async throws {
        let levels = LogLevels()
        let server = try await ListeningRestServer.start(logLevels: levels)
        let missing = try await server.call("GET", "/admin/loggers/com.example.Nope")
        #expect(missing.status == 404)
        #expect(missing.object["message"] as? String == "Logger com.example.Nope not found.")
        for (path, body) in [
            ("/admin/loggers/sluice.worker", ["lvl": "DEBUG"]), ("/admin/loggers/sluice.worker", ["level": "LOUD"]),
            ("/admin/loggers/sluice.worker?scope=galaxy", ["level": "DEBUG"]),
        ] {
            let reply = try await server.call("PUT", path, json: body)
            #expect(reply.status == 400, "\(path) \(body): \(reply.text)")
            #expect(reply.object["error_code"] as? Int == 400)
        }
        #expect(levels.level(of: "sluice.worker") == .info)
    }

    @Test("scope=cluster on a worker without a cluster (standalone) answers 204 and sets the level here, as Kafka Connect's standalone mode does")
    func clusterScopeAlone() async throws {
        let levels = LogLevels()
        let server = try await ListeningRestServer.start(logLevels: levels)
        let reply = try await server.call("PUT", "/admin/loggers/sluice.errors?scope=cluster", json: ["level": "TRACE"])
        #expect(reply.status == 204, "\(reply.text)")
        #expect(levels.level(of: "sluice.errors") == .trace)
    }
}
