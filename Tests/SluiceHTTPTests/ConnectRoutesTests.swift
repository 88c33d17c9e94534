import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SluiceConnectors
@testable import SluiceHTTP
import SluiceRuntime
import Testing

/// The REST routes in-process (Hummingbird's router test client) against a
/// ``FakeHerder``: Kafka Connect's status codes and bodies, without Kafka.
@Suite("REST routes over a fake herder")
struct ConnectRoutesTests {
    /// Runs `body` against a server for a fresh fake herder.
    func withRoutes(
        authentication: RestAuthentication = .none,
        _ body: @Sendable (any TestClientProtocol, FakeHerder) async throws -> Void
    ) async throws {
        let herder = FakeHerder(registry: BuiltinConnectors.registry)
        let server = RestServer(host: "127.0.0.1", port: 0, authentication: authentication)
        server.attach(herder)
        let app = Application(router: server.makeRouter())
        try await app.test(.router) { client in try await body(client, herder) }
    }

    static func json(_ object: Any) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }

    static func object(_ response: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:]
    }

    static func any(_ response: TestResponse) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(buffer: response.body), options: [.fragmentsAllowed])
    }

    static var datagen: [String: Any] { ["name": "gen", "config": ["connector.class": "datagen", "topic": "t", "tasks.max": "2"]] }

    @Test("create, read, list and delete answer as Kafka Connect")
    func lifecycle() async throws {
        try await withRoutes { client, _ in
            let root = try await client.execute(uri: "/", method: .get)
            #expect(root.status == .ok)
            #expect(Self.object(root)["kafka_cluster_id"] as? String == "fake-cluster")
            #expect(Self.object(root)["version"] is String)

            let created = try await client.execute(uri: "/connectors", method: .post, body: Self.json(Self.datagen))
            #expect(created.status == .created)
            let info = Self.object(created)
            #expect(info["name"] as? String == "gen")
            #expect(info["type"] as? String == "source")
            #expect((info["tasks"] as? [[String: Any]])?.count == 2)
            #expect((info["config"] as? [String: String])?["name"] == "gen")

            let again = try await client.execute(uri: "/connectors", method: .post, body: Self.json(Self.datagen))
            #expect(again.status == .conflict)
            #expect(Self.object(again)["error_code"] as? Int == 409)
            #expect(Self.object(again)["message"] as? String == "Connector gen already exists")

            let list = try await client.execute(uri: "/connectors", method: .get)
            #expect(Self.any(list) as? [String] == ["gen"])
            let expanded = Self.object(try await client.execute(uri: "/connectors?expand=status&expand=info", method: .get))
            let gen = expanded["gen"] as? [String: Any]
            #expect((gen?["status"] as? [String: Any])?["type"] as? String == "source")
            #expect((gen?["info"] as? [String: Any])?["name"] as? String == "gen")

            let updated = try await client.execute(
                uri: "/connectors/gen/config", method: .put, body: Self.json(["connector.class": "datagen", "topic": "u"]))
            #expect(updated.status == .ok)
            let config = Self.object(try await client.execute(uri: "/connectors/gen/config", method: .get))
            #expect(config["topic"] as? String == "u")
            let fresh = try await client.execute(
                uri: "/connectors/other/config", method: .put, body: Self.json(["connector.class": "datagen", "topic": "u"]))
            #expect(fresh.status == .created)

            let tasks = Self.any(try await client.execute(uri: "/connectors/gen/tasks", method: .get)) as? [[String: Any]]
            #expect((tasks?.first?["id"] as? [String: Any])?["task"] as? Int == 0)

            #expect(try await client.execute(uri: "/connectors/gen", method: .delete).status == .noContent)
            let gone = try await client.execute(uri: "/connectors/gen", method: .get)
            #expect(gone.status == .notFound)
            #expect(Self.object(gone)["message"] as? String == "Connector gen not found")
        }
    }

    @Test("bad bodies answer 400 naming the problem", arguments: [
        ("{not json", "Request body is not valid JSON"),
        (#"{"config": {"connector.class": "datagen"}}"#, "Connector name must be given"),
        (#"{"name": "x"}"#, "Connector config must be given"),
        (#"{"name": "x", "config": {"connector.class": "datagen", "name": "y"}}"#, "doesn't match"),
        (#"{"name": "x", "config": {"connector.class": "datagen", "tasks.max": "0"}}"#, "Connector configuration is invalid"),
        (#"{"name": "x", "config": {"connector.class": "com.example.Nope"}}"#, "com.example.Nope"),
    ])
    func badBodies(body: String, message: String) async throws {
        try await withRoutes { client, herder in
            let reply = try await client.execute(uri: "/connectors", method: .post, body: ByteBuffer(string: body))
            #expect(reply.status == .badRequest, "\(String(buffer: reply.body))")
            #expect(Self.object(reply)["error_code"] as? Int == 400)
            #expect((Self.object(reply)["message"] as? String)?.contains(message) == true, "\(String(buffer: reply.body))")
            #expect(herder.connectorNames().isEmpty, "nothing is stored")
        }
    }

    @Test("status, pause, resume, stop, restart and task restart")
    func states() async throws {
        try await withRoutes { client, herder in
            _ = try await client.execute(uri: "/connectors", method: .post, body: Self.json(Self.datagen))
            let status = Self.object(try await client.execute(uri: "/connectors/gen/status", method: .get))
            #expect((status["connector"] as? [String: Any])?["state"] as? String == "RUNNING")
            let tasks = status["tasks"] as? [[String: Any]] ?? []
            #expect(tasks.map { $0["state"] as? String } == ["RUNNING", "FAILED"])
            #expect(tasks.last?["trace"] as? String == "task 1 broke")
            let task = Self.object(try await client.execute(uri: "/connectors/gen/tasks/1/status", method: .get))
            #expect(task["state"] as? String == "FAILED")
            #expect(try await client.execute(uri: "/connectors/gen/tasks/9/status", method: .get).status == .notFound)

            #expect(try await client.execute(uri: "/connectors/gen/pause", method: .put).status == .accepted)
            #expect(try herder.targetState("gen") == .paused)
            #expect(try await client.execute(uri: "/connectors/gen/resume", method: .put).status == .accepted)
            #expect(try herder.targetState("gen") == .started)

            #expect(try await client.execute(uri: "/connectors/gen/restart", method: .post).status == .noContent)
            let restarted = try await client.execute(uri: "/connectors/gen/restart?includeTasks=true&onlyFailed=true", method: .post)
            #expect(restarted.status == .accepted)
            let states = (Self.object(restarted)["tasks"] as? [[String: Any]] ?? []).map { $0["state"] as? String }
            #expect(states == ["RUNNING", "RESTARTING"], "only the failed task restarts")
            #expect(herder.restarts(of: "gen") == 2)
            #expect(try await client.execute(uri: "/connectors/gen/tasks/1/restart", method: .post).status == .noContent)
            #expect(try await client.execute(uri: "/connectors/gen/tasks/5/restart", method: .post).status == .notFound)

            #expect(try await client.execute(uri: "/connectors/gen/stop", method: .put).status == .noContent)
            #expect(try herder.targetState("gen") == .stopped)
        }
    }

    @Test("offsets can be read, and changed only while the connector is STOPPED")
    func offsets() async throws {
        try await withRoutes { client, _ in
            _ = try await client.execute(uri: "/connectors", method: .post, body: Self.json(Self.datagen))
            let patch = Self.json(["offsets": [["partition": ["partition": "seq"], "offset": ["offset": 42]]]])
            let running = try await client.execute(uri: "/connectors/gen/offsets", method: .patch, body: patch)
            #expect(running.status == .badRequest)
            #expect((Self.object(running)["message"] as? String)?.contains("STOPPED") == true)
            _ = try await client.execute(uri: "/connectors/gen/stop", method: .put)
            #expect(try await client.execute(uri: "/connectors/gen/offsets", method: .patch, body: patch).status == .ok)
            let read = Self.object(try await client.execute(uri: "/connectors/gen/offsets", method: .get))
            let first = (read["offsets"] as? [[String: Any]])?.first
            #expect((first?["offset"] as? [String: Any])?["offset"] as? Int == 42)
            for bad in [["x": 1], ["partition": ["partition": "seq"], "offset": ["offset": "42"]], ["partition": "seq", "offset": ["offset": 1]]] {
                let malformed = try await client.execute(uri: "/connectors/gen/offsets", method: .patch, body: Self.json(["offsets": [bad]]))
                #expect(malformed.status == .badRequest, "\(bad)")
            }
            // Kafka Connect's partition and offset objects of any shape, such as the JDBC source's.
            let jdbc = Self.json(["offsets": [["partition": ["protocol": "1", "table": "db.t"], "offset": ["incrementing": 7, "timestamp": 1_700_000_000_000]]]])
            #expect(try await client.execute(uri: "/connectors/gen/offsets", method: .patch, body: jdbc).status == .ok)
            let both = (Self.object(try await client.execute(uri: "/connectors/gen/offsets", method: .get))["offsets"] as? [[String: Any]]) ?? []
            let table = both.first { ($0["partition"] as? [String: Any])?["table"] as? String == "db.t" }
            #expect((table?["partition"] as? [String: Any])?["protocol"] as? String == "1")
            #expect((table?["offset"] as? [String: Any])?["incrementing"] as? Int == 7 && (table?["offset"] as? [String: Any])?["timestamp"] as? Int == 1_700_000_000_000)
            #expect(try await client.execute(uri: "/connectors/gen/offsets", method: .delete).status == .ok)
            #expect((Self.object(try await client.execute(uri: "/connectors/gen/offsets", method: .get))["offsets"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("plugins and validate list every setting and every problem")
    func plugins() async throws {
        try await withRoutes { client, _ in
            let plugins = Self.any(try await client.execute(uri: "/connector-plugins", method: .get)) as? [[String: Any]] ?? []
            #expect(plugins.contains { $0["class"] as? String == "datagen" && $0["type"] as? String == "source" })
            #expect(plugins.allSatisfy { $0["type"] as? String == "source" || $0["type"] as? String == "sink" })
            let all = Self.any(try await client.execute(uri: "/connector-plugins?connectorsOnly=false", method: .get)) as? [[String: Any]] ?? []
            func has(_ className: String, _ type: String) -> Bool { all.contains { $0["class"] as? String == className && $0["type"] as? String == type } }
            #expect(has("org.apache.kafka.connect.transforms.Cast$Value", "transformation"))
            #expect(has("org.apache.kafka.connect.transforms.predicates.RecordIsTombstone", "predicate"))
            for name in [
                "HeaderFrom$Value", "HeaderFrom$Key", "InsertHeader", "DropHeaders", "TimestampConverter$Value",
                "TimestampConverter$Key", "SetSchemaMetadata$Value", "SetSchemaMetadata$Key",
            ] {
                #expect(has("org.apache.kafka.connect.transforms." + name, "transformation"), "\(name)")
            }
            #expect(has("org.apache.kafka.connect.transforms.predicates.HasHeaderKey", "predicate"))
            #expect(has("org.apache.kafka.connect.json.JsonConverter", "converter"))
            #expect(has("org.apache.kafka.connect.storage.SimpleHeaderConverter", "header_converter"))
            #expect(all.count > plugins.count)
            let keys = Self.any(try await client.execute(uri: "/connector-plugins/datagen/config", method: .get)) as? [[String: Any]] ?? []
            #expect(keys.first?["name"] as? String == "name" && keys.first?["order"] as? Int == 1)
            #expect(keys.contains { $0["name"] as? String == "max.records.per.sec" && $0["group"] as? String == "Connector" })
            #expect(Set(keys.compactMap { $0["name"] as? String }).count == keys.count)
            // A converter's own settings, with Kafka's names, defaults and groups.
            func converterKeys(_ plugin: String) async throws -> [[String: Any]] {
                Self.any(try await client.execute(uri: "/connector-plugins/\(plugin)/config", method: .get)) as? [[String: Any]] ?? []
            }
            let json = try await converterKeys("org.apache.kafka.connect.json.JsonConverter")
            #expect(json.compactMap { $0["name"] as? String } == ["converter.type", "schemas.enable", "schemas.cache.size", "decimal.format", "replace.null.with.default"])
            #expect(json.contains { $0["name"] as? String == "decimal.format" && $0["default_value"] as? String == "BASE64" && $0["group"] as? String == "Serialization" })
            #expect(json.first?["required"] as? Bool == true && json.first?["group"] is NSNull)
            #expect(try await converterKeys("org.apache.kafka.connect.storage.StringConverter").compactMap { $0["name"] as? String } == ["converter.type", "converter.encoding"])
            #expect(try await converterKeys("org.apache.kafka.connect.converters.ByteArrayConverter").compactMap { $0["name"] as? String } == ["converter.type"])
            let header = try await client.execute(uri: "/connector-plugins/org.apache.kafka.connect.storage.SimpleHeaderConverter/config", method: .get)
            #expect(header.status == .ok && (Self.any(header) as? [Any])?.isEmpty == true)
            let unknown = try await client.execute(uri: "/connector-plugins/NoSuchConnector/config", method: .get)
            #expect(unknown.status == .notFound)
            #expect(String(buffer: unknown.body).contains("Unknown connector plugin NoSuchConnector"))
            let validated = Self.object(try await client.execute(
                uri: "/connector-plugins/datagen/config/validate", method: .put, body: Self.json(["tasks.max": "zero"])))
            #expect((validated["error_count"] as? Int ?? 0) >= 1)
            let mismatch = try await client.execute(
                uri: "/connector-plugins/datagen/config/validate", method: .put, body: Self.json(["connector.class": "FileStreamSink"]))
            #expect(mismatch.status == .badRequest)
        }
    }

    @Test("/metrics is Prometheus text with the herder's figures")
    func metrics() async throws {
        try await withRoutes { client, _ in
            let reply = try await client.execute(uri: "/metrics", method: .get)
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = String(buffer: reply.body)
            #expect(text.contains("kafka_connect_connect_worker_rebalance_metrics_epoch 7"), "\(text)")
        }
    }

    @Test("without credentials a secured API answers 401 with a challenge")
    func authentication() async throws {
        try await withRoutes(authentication: .bearer(token: "s3cret")) { client, _ in
            let denied = try await client.execute(uri: "/connectors", method: .get)
            #expect(denied.status == .unauthorized)
            #expect(denied.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let allowed = try await client.execute(uri: "/connectors", method: .get, headers: [.authorization: "Bearer s3cret"])
            #expect(allowed.status == .ok)
        }
    }

    @Test("a request forwarded by another worker is not forwarded again: 409 naming the leader")
    func forwardedOnce() async throws {
        try await withRoutes { client, herder in
            herder.leaderURL.withLock { $0 = "http://127.0.0.1:1/" }
            let reply = try await client.execute(
                uri: "/connectors", method: .post, headers: [HTTPField.Name("X-Sluice-Forwarded")!: "true"], body: Self.json(Self.datagen))
            #expect(reply.status == .conflict)
            #expect((Self.object(reply)["message"] as? String)?.contains("not the leader") == true)
        }
    }

    @Test("names are percent-decoded in paths; names with control characters are refused")
    func names() async throws {
        try await withRoutes { client, herder in
            for name in ["a b", "é", "x?y", "x#y"] {
                let body = Self.json(["name": name, "config": ["connector.class": "datagen", "topic": "t"]])
                #expect(try await client.execute(uri: "/connectors", method: .post, body: body).status == .created, "\(name)")
                let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let read = try await client.execute(uri: "/connectors/\(encoded)", method: .get)
                #expect(read.status == .ok, "\(name) as \(encoded)")
                #expect(Self.object(read)["name"] as? String == name)
                #expect(try await client.execute(uri: "/connectors/\(encoded)", method: .delete).status == .noContent)
            }
            for name in ["line\nforged", "bell\u{01}"] {
                let body = Self.json(["name": name, "config": ["connector.class": "datagen", "topic": "t"]])
                let reply = try await client.execute(uri: "/connectors", method: .post, body: body)
                #expect(reply.status == .badRequest)
                #expect((Self.object(reply)["message"] as? String)?.contains("control characters") == true)
                #expect((Self.object(reply)["message"] as? String)?.contains("\n") == false, "the name is escaped")
            }
            #expect(herder.connectorNames().isEmpty)
        }
    }

    @Test("values of the wrong JSON type are refused with every other problem in one 400")
    func wrongTypes() async throws {
        try await withRoutes { client, herder in
            let body = Self.json(["name": "typed", "config": [
                "connector.class": "datagen", "topic": ["a"], "record.size": ["x": 1], "tasks.max": "zero", "iterations": NSNull(),
            ] as [String: Any]])
            let reply = try await client.execute(uri: "/connectors", method: .post, body: body)
            #expect(reply.status == .badRequest)
            let message = Self.object(reply)["message"] as? String ?? ""
            for key in ["topic", "record.size", "iterations", "tasks.max"] {
                #expect(message.contains("configuration \(key)"), "\(key) in: \(message)")
            }
            #expect(herder.connectorNames().isEmpty)
        }
    }

    @Test("unknown paths, wrong methods and oversized bodies answer JSON errors")
    func errorBodies() async throws {
        try await withRoutes { client, _ in
            let missing = try await client.execute(uri: "/no/such/path", method: .get)
            #expect(missing.status == .notFound)
            #expect(Self.object(missing)["error_code"] as? Int == 404)
            let wrong = try await client.execute(uri: "/connectors", method: .delete)
            #expect(wrong.status == .methodNotAllowed)
            #expect(Self.object(wrong)["error_code"] as? Int == 405)
            #expect(wrong.headers[.allow]?.contains("GET") == true)
            let big = String(repeating: "x", count: ConnectRoutes.maximumBodyBytes + 10)
            let tooLarge = try await client.execute(
                uri: "/connectors", method: .post, body: Self.json(["name": "big", "config": ["connector.class": "datagen", "topic": big]]))
            #expect(tooLarge.status == .contentTooLarge)
            #expect(Self.object(tooLarge)["error_code"] as? Int == 413)
        }
    }
}
