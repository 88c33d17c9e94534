import Foundation
import SluiceConnectors
import SluiceHTTP
import SluiceRuntime
import Testing

/// KIP-558's endpoints over real TCP: `GET /connectors/{name}/topics` and
/// `PUT /connectors/{name}/topics/reset`, with Kafka Connect's shapes and codes.
@Suite("Active topics endpoints")
struct ActiveTopicsRoutesTests {
    static var datagen: [String: Any] { ["name": "gen", "config": ["connector.class": "datagen", "topic": "t"]] }

    @Test("GET answers {name: {topics: [...]}} sorted; reset answers 202 and empties the list; an unknown connector is a 404")
    func listAndReset() async throws {
        let server = try await ListeningRestServer.start()
        #expect(try await server.call("POST", "/connectors", json: Self.datagen).status == 201)
        let empty = try await server.call("GET", "/connectors/gen/topics")
        #expect(empty.status == 200)
        #expect((empty.object["gen"] as? [String: Any])?["topics"] as? [String] == [])
        let topics = try #require(server.herder.activeTopics)
        topics.observe(ConnectorTaskID(connector: "gen", task: 1), topic: "t-b")
        topics.observe(ConnectorTaskID(connector: "gen", task: 0), topic: "t-a")
        let listed = try await server.call("GET", "/connectors/gen/topics")
        #expect(listed.status == 200)
        #expect(listed.object.keys.sorted() == ["gen"])
        #expect((listed.object["gen"] as? [String: Any])?["topics"] as? [String] == ["t-a", "t-b"], "\(listed.text)")
        let reset = try await server.call("PUT", "/connectors/gen/topics/reset")
        #expect(reset.status == 202)
        #expect(topics.topics(of: "gen").isEmpty)
        let missing = try await server.call("GET", "/connectors/nope/topics")
        #expect(missing.status == 404)
        #expect(missing.object["error_code"] as? Int == 404)
        #expect(try await server.call("PUT", "/connectors/nope/topics/reset").status == 404)
    }

    @Test("topic.tracking.enable=false: both endpoints answer 403 'Topic tracking is disabled.'")
    func trackingDisabled() async throws {
        let server = try await ListeningRestServer.start(herder: FakeHerder(registry: BuiltinConnectors.registry, topicTracking: false))
        #expect(try await server.call("POST", "/connectors", json: Self.datagen).status == 201)
        for (method, path) in [("GET", "/connectors/gen/topics"), ("PUT", "/connectors/gen/topics/reset")] {
            let reply = try await server.call(method, path)
            #expect(reply.status == 403)
            #expect(reply.object["error_code"] as? Int == 403)
            #expect(reply.object["message"] as? String == "Topic tracking is disabled.")
        }
    }

    @Test("topic.tracking.allow.reset=false: the list is served, the reset answers 403 and forgets nothing")
    func resetDisabled() async throws {
        let server = try await ListeningRestServer.start(herder: FakeHerder(registry: BuiltinConnectors.registry, allowReset: false))
        #expect(try await server.call("POST", "/connectors", json: Self.datagen).status == 201)
        server.herder.activeTopics?.observe(ConnectorTaskID(connector: "gen", task: 0), topic: "t")
        #expect(try await server.call("GET", "/connectors/gen/topics").status == 200)
        let reply = try await server.call("PUT", "/connectors/gen/topics/reset")
        #expect(reply.status == 403)
        #expect(reply.object["message"] as? String == "Topic tracking reset is disabled.")
        #expect(server.herder.activeTopics?.topics(of: "gen") == ["t"])
    }
}
