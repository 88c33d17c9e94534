import Foundation
import SluiceHTTP
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
}
