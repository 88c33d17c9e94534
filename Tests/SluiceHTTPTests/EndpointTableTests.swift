import Foundation
import SluiceHTTP
import Testing

/// Unknown paths and wrong methods over real TCP: Kafka Connect's JSON error bodies.
@Suite("Unknown paths and wrong methods")
struct EndpointTableTests {
    @Test("an unknown path answers 404 with {\"error_code\": 404, \"message\"}", arguments: ["/no/such/path", "/connectors/gen/bogus", "/connectors/gen/tasks/0/status/extra"])
    func unknownPath(path: String) async throws {
        let server = try await ListeningRestServer.start()
        let reply = try await server.call("GET", path)
        #expect(reply.status == 404)
        #expect(reply.headers["content-type"] == "application/json")
        #expect(reply.object["error_code"] as? Int == 404)
        #expect((reply.object["message"] as? String)?.contains(path) == true, "\(reply.text)")
    }

    @Test("a known path with a wrong method answers 405 with the JSON body and Allow", arguments: [
        ("DELETE", "/connectors", "GET, POST"), ("POST", "/connectors/gen/status", "GET"), ("GET", "/connectors/gen/pause", "PUT"),
    ])
    func wrongMethod(method: String, path: String, allowed: String) async throws {
        let server = try await ListeningRestServer.start()
        let reply = try await server.call(method, path)
        #expect(reply.status == 405)
        #expect(reply.headers["content-type"] == "application/json")
        #expect(reply.object["error_code"] as? Int == 405)
        #expect((reply.object["message"] as? String)?.contains(method) == true, "\(reply.text)")
        #expect(reply.headers["allow"] == allowed)
    }
}
