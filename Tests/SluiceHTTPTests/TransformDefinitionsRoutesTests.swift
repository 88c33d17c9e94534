import Foundation
import SluiceHTTP
import Testing

/// The settings of transforms and predicates over REST: in the validate endpoint's
/// answer for a config that names them, and at `/connector-plugins/{class}/config`.
@Suite("Transform and predicate settings over REST")
struct TransformDefinitionsRoutesTests {
    @Test("validate lists each named transform's and predicate's settings under its alias, in a group of its own")
    func validateListsTransforms() async throws {
        let server = try await ListeningRestServer.start()
        let reply = try await server.call("PUT", "/connector-plugins/datagen/config/validate", json: [
            "connector.class": "datagen", "name": "g", "topic": "t",
            "transforms": "route", "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
            "transforms.route.regex": "(.*)", "transforms.route.predicate": "isT",
            "predicates": "isT", "predicates.isT.type": "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
            "predicates.isT.pattern": "t",
        ])
        #expect(reply.status == 200, "\(reply.text)")
        let configs = try #require(reply.object["configs"] as? [[String: Any]])
        func entry(_ name: String) -> [String: Any]? {
            configs.first { ($0["definition"] as? [String: Any])?["name"] as? String == name }
        }
        for name in ["transforms.route.type", "transforms.route.negate", "transforms.route.regex", "transforms.route.replacement"] {
            #expect((entry(name)?["definition"] as? [String: Any])?["group"] as? String == "Transforms: route", "\(name)")
        }
        #expect((entry("transforms.route.regex")?["value"] as? [String: Any])?["value"] as? String == "(.*)")
        #expect((entry("predicates.isT.pattern")?["definition"] as? [String: Any])?["group"] as? String == "Predicates: isT")
        #expect((reply.object["groups"] as? [String])?.contains("Transforms: route") == true)
    }

    @Test("GET /connector-plugins/{transform}/config lists its settings, by full or short class name")
    func transformConfig() async throws {
        let server = try await ListeningRestServer.start()
        for plugin in ["org.apache.kafka.connect.transforms.TimestampConverter$Value", "TimestampConverter$Value"] {
            let reply = try await server.call("GET", "/connector-plugins/\(plugin.replacingOccurrences(of: "$", with: "%24"))/config")
            #expect(reply.status == 200, "\(plugin): \(reply.text)")
            let keys = (try JSONSerialization.jsonObject(with: Data(reply.text.utf8)) as? [[String: Any]]) ?? []
            #expect(keys.compactMap { $0["name"] as? String } == ["target.type", "field", "format", "unix.precision"])
            #expect(keys.first?["required"] as? Bool == true)
        }
        let predicate = try await server.call("GET", "/connector-plugins/org.apache.kafka.connect.transforms.predicates.HasHeaderKey/config")
        #expect(predicate.status == 200)
        #expect(predicate.text.contains(#""name":"name""#), "\(predicate.text)")
        #expect(try await server.call("GET", "/connector-plugins/org.apache.kafka.connect.transforms.Nope/config").status == 404)
    }
}
