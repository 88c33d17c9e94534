import Foundation
import SluiceHTTP
import SluiceRuntime
import Testing

/// Creating connectors (`Location`, KIP-980's `initial_state`) and patching their
/// configs (KIP-477) over real TCP.
@Suite("Connector creation and config patches")
struct ConnectorConfigRoutesTests {
    static func datagen(_ name: String = "gen", initialState: Any? = nil, extra: [String: String] = [:]) -> [String: Any] {
        var config = ["connector.class": "datagen", "topic": "t", "tasks.max": "2"]
        config.merge(extra) { _, new in new }
        var body: [String: Any] = ["name": name, "config": config]
        if let initialState { body["initial_state"] = initialState }
        return body
    }

    @Test("POST /connectors answers 201 with Location: /connectors/<name>")
    func location() async throws {
        let server = try await ListeningRestServer.start()
        let created = try await server.call("POST", "/connectors", json: Self.datagen("my gen"))
        #expect(created.status == 201)
        #expect(created.headers["location"] == "/connectors/my%20gen")
        #expect(try await server.call("GET", created.headers["location"] ?? "/none").object["name"] as? String == "my gen")
        let put = try await server.call("PUT", "/connectors/other/config", json: ["connector.class": "datagen", "topic": "t"])
        #expect(put.status == 201)
        #expect(put.headers["location"] == "/connectors/other")
    }

    @Test("initial_state sets the state a new connector starts in, in any case", arguments: [
        ("RUNNING", TargetState.started), ("paused", .paused), ("STOPPED", .stopped),
    ])
    func initialState(given: String, target: TargetState) async throws {
        let server = try await ListeningRestServer.start()
        let created = try await server.call("POST", "/connectors", json: Self.datagen(initialState: given))
        #expect(created.status == 201, "\(created.text)")
        #expect(try server.herder.targetState("gen") == target)
        if target == .stopped {
            #expect((created.object["tasks"] as? [Any])?.isEmpty == true, "a stopped connector has no tasks: \(created.text)")
        }
    }

    @Test("a bad initial_state is a 400 naming the accepted values, and nothing is created", arguments: ["SLEEPING", 3] as [any Sendable])
    func badInitialState(value: any Sendable) async throws {
        let server = try await ListeningRestServer.start()
        let reply = try await server.call("POST", "/connectors", json: Self.datagen(initialState: value))
        #expect(reply.status == 400)
        #expect(reply.object["error_code"] as? Int == 400)
        let message = reply.object["message"] as? String ?? ""
        #expect(message.contains("initial_state") && message.contains("RUNNING, PAUSED, STOPPED"), "\(message)")
        #expect(server.herder.connectorNames().isEmpty)
    }

    @Test("PATCH /connectors/{name}/config merges the body in, a null removes a key, and answers 200 with the connector info")
    func patch() async throws {
        let server = try await ListeningRestServer.start()
        #expect(try await server.call("POST", "/connectors", json: Self.datagen(extra: ["max.records.per.sec": "200"])).status == 201)
        let patched = try await server.call("PATCH", "/connectors/gen/config", json: ["tasks.max": 3, "max.records.per.sec": NSNull(), "record.size": "64"])
        #expect(patched.status == 200, "\(patched.text)")
        #expect(patched.object["name"] as? String == "gen")
        #expect((patched.object["tasks"] as? [Any])?.count == 3)
        let config = try server.herder.connectorConfig("gen")
        #expect(config == ["name": "gen", "connector.class": "datagen", "topic": "t", "tasks.max": "3", "record.size": "64"])
    }

    @Test("PATCH answers 404 for an unknown connector, 400 for a bad result or another name, and keeps the stored config")
    func patchRefused() async throws {
        let server = try await ListeningRestServer.start()
        let missing = try await server.call("PATCH", "/connectors/nope/config", json: ["tasks.max": "1"])
        #expect(missing.status == 404)
        #expect(missing.object["error_code"] as? Int == 404)
        #expect(try await server.call("POST", "/connectors", json: Self.datagen()).status == 201)
        let before = try server.herder.connectorConfig("gen")
        let invalid = try await server.call("PATCH", "/connectors/gen/config", json: ["tasks.max": "zero"])
        #expect(invalid.status == 400)
        #expect((invalid.object["message"] as? String)?.contains("tasks.max") == true, "\(invalid.text)")
        let renamed = try await server.call("PATCH", "/connectors/gen/config", json: ["name": "other"])
        #expect(renamed.status == 400)
        #expect(try await server.call("PATCH", "/connectors/gen/config", json: ["a", "b"]).status == 400)
        #expect(try server.herder.connectorConfig("gen") == before)
    }

    @Test("create accepts errors.tolerance in any case and exactly.once.support=requested", arguments: [
        ["errors.tolerance": "ALL"], ["errors.tolerance": "None"], ["exactly.once.support": "requested"],
    ])
    func accepted(extra: [String: String]) async throws {
        let server = try await ListeningRestServer.start()
        let reply = try await server.call("POST", "/connectors", json: Self.datagen(extra: extra))
        #expect(reply.status == 201, "\(extra): \(reply.text)")
    }

    @Test("create refuses a bad errors.tolerance and exactly.once.support=required with a 400 that says why", arguments: [
        ("errors.tolerance", "sometimes", "String must be one of (case insensitive): none, all"),
        ("exactly.once.support", "required", "exactly-once delivery is not supported by Sluice yet"),
    ])
    func refused(key: String, value: String, reason: String) async throws {
        let server = try await ListeningRestServer.start()
        let reply = try await server.call("POST", "/connectors", json: Self.datagen(extra: [key: value]))
        #expect(reply.status == 400)
        let message = reply.object["message"] as? String ?? ""
        #expect(message.contains("Invalid value \(value) for configuration \(key)") && message.contains(reason), "\(message)")
        #expect(server.herder.connectorNames().isEmpty)
    }
}
