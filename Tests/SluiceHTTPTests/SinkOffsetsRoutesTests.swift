import Foundation
import SluiceHTTP
import SluiceRuntime
import Testing

/// `GET /connectors/{name}/offsets` of a sink connector (KIP-875), over real TCP.
@Suite("Sink connector offsets endpoint")
struct SinkOffsetsRoutesTests {
    @Test("a sink's offsets answer in Kafka Connect's shape: kafka_topic, kafka_partition, kafka_offset")
    func shape() async throws {
        let server = try await ListeningRestServer.start()
        let created = try await server.call("POST", "/connectors", json: ["name": "sink", "config": ["connector.class": "null", "topics": "in"]])
        #expect(created.status == 201, "\(created.text)")
        let reply = try await server.call("GET", "/connectors/sink/offsets")
        #expect(reply.status == 200, "\(reply.text)")
        let offsets = try #require(reply.object["offsets"] as? [[String: Any]])
        #expect(offsets.count == 2)
        #expect((offsets.first?["partition"] as? [String: Any])?["kafka_topic"] as? String == "in")
        #expect((offsets.last?["partition"] as? [String: Any])?["kafka_partition"] as? Int == 2)
        #expect((offsets.last?["offset"] as? [String: Any])?["kafka_offset"] as? Int == 9)
        #expect(try await server.call("GET", "/connectors/none/offsets").status == 404)
    }

    @Test("PATCH of a STOPPED sink takes Kafka Connect's sink shape (null forgets a partition); DELETE resets; both refused while it runs")
    func alterAndReset() async throws {
        let server = try await ListeningRestServer.start()
        #expect(try await server.call("POST", "/connectors", json: ["name": "sink", "config": ["connector.class": "null", "topics": "in"]]).status == 201)
        let body: [String: Any] = ["offsets": [
            ["partition": ["kafka_topic": "in", "kafka_partition": 0], "offset": ["kafka_offset": 5]],
            ["partition": ["kafka_topic": "in", "kafka_partition": "2"], "offset": ["kafka_offset": "9"]],
            ["partition": ["kafka_topic": "in", "kafka_partition": 1], "offset": NSNull()],
        ]]
        let running = try await server.call("PATCH", "/connectors/sink/offsets", json: body)
        #expect(running.status == 400 && running.text.contains("STOPPED"), "\(running.text)")
        #expect(server.herder.sinkChange(of: "sink") == nil)

        #expect(try await server.call("PUT", "/connectors/sink/stop").status == 204)
        let altered = try await server.call("PATCH", "/connectors/sink/offsets", json: body)
        #expect(altered.status == 200, "\(altered.text)")
        #expect(altered.object["message"] as? String == "The offsets for this connector have been altered successfully")
        #expect(server.herder.sinkChange(of: "sink") == .some([
            SinkConnectorOffsets.Change(topic: "in", partition: 0, offset: 5),
            SinkConnectorOffsets.Change(topic: "in", partition: 2, offset: 9),
            SinkConnectorOffsets.Change(topic: "in", partition: 1, offset: nil),
        ]))
        let reset = try await server.call("DELETE", "/connectors/sink/offsets")
        #expect(reset.status == 200, "\(reset.text)")
        #expect(server.herder.sinkChange(of: "sink") == .some(nil))
    }

    @Test("a sink PATCH body in another shape is a 400 naming what is wrong", arguments: [
        (#"{"offsets": []}"#, "need to be provided"),
        (#"{"offsets": [{"partition": {"kafka_partition": 0}, "offset": {"kafka_offset": 1}}]}"#, "kafka_topic"),
        (#"{"offsets": [{"partition": {"kafka_topic": "in", "kafka_partition": -1}, "offset": {"kafka_offset": 1}}]}"#, "kafka_partition"),
        (#"{"offsets": [{"partition": {"kafka_topic": "in", "kafka_partition": 1.5}, "offset": {"kafka_offset": 1}}]}"#, "kafka_partition"),
        (#"{"offsets": [{"partition": {"kafka_topic": "in", "kafka_partition": true}, "offset": {"kafka_offset": 1}}]}"#, "kafka_partition"),
        (#"{"offsets": [{"partition": {"kafka_topic": "in", "kafka_partition": 0}, "offset": {"kafka_offset": -4}}]}"#, "kafka_offset"),
        (#"{"offsets": [{"partition": {"kafka_topic": "in", "kafka_partition": 0}, "offset": {"offset": 4}}]}"#, "kafka_offset"),
        (#"{"offsets": [{"partition": {"kafka_topic": "in", "kafka_partition": 0}, "offset": 4}]}"#, "kafka_offset"),
        (#"{"offsets": [{"partition": "in-0", "offset": {"kafka_offset": 4}}]}"#, #""partition" object"#),
    ])
    func badShapes(text: String, message: String) async throws {
        let body = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let server = try await ListeningRestServer.start()
        #expect(try await server.call("POST", "/connectors", json: ["name": "sink", "config": ["connector.class": "null", "topics": "in"]]).status == 201)
        #expect(try await server.call("PUT", "/connectors/sink/stop").status == 204)
        let reply = try await server.call("PATCH", "/connectors/sink/offsets", json: body)
        #expect(reply.status == 400, "\(reply.text)")
        #expect((reply.object["message"] as? String)?.contains(message) == true, "\(reply.text)")
        #expect(server.herder.sinkChange(of: "sink") == nil, "nothing was changed")
    }

    @Test("a partition given twice takes its last entry, as Kafka Connect's map of them does")
    func lastEntryWins() throws {
        let changes = try SinkConnectorOffsets.changes(from: [
            ["partition": ["kafka_topic": "in", "kafka_partition": 0], "offset": ["kafka_offset": 5]],
            ["partition": ["kafka_topic": "in", "kafka_partition": 1], "offset": ["kafka_offset": 6]],
            ["partition": ["kafka_topic": "in", "kafka_partition": 0], "offset": NSNull()],
        ])
        #expect(changes == [
            SinkConnectorOffsets.Change(topic: "in", partition: 1, offset: 6), SinkConnectorOffsets.Change(topic: "in", partition: 0, offset: nil),
        ])
    }
}
