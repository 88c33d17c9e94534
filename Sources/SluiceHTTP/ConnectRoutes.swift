import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import SluiceKafka
import SluiceRuntime

/// The Kafka Connect REST API over a ``Herder`` (standalone or distributed): the
/// same paths, bodies and status codes, so existing scripts and tools work unchanged.
///
/// Every handler hands its (blocking) herder call to a dispatch queue, so the
/// server's threads never wait on Kafka.
struct ConnectRoutes: Sendable {
    let box: WorkerBox
    var herder: any Herder { box.attached!.herder }
    private var clusterID: String { box.attached!.herder.kafkaClusterID }
    private var exporter: PrometheusExporter { box.attached!.exporter }

    /// The largest request body accepted: a connector config is one record of the
    /// config topic, which Kafka limits to about 1 MB by default.
    static let maximumBodyBytes = 900_000

    func register(on router: Router<BasicRequestContext>, endpoints: EndpointTable) {
        func on(
            _ method: HTTPRequest.Method, _ path: String,
            _ handler: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response
        ) {
            router.on(method, path, in: endpoints, handler)
        }
        on(.get, "/") { _, _ in
            JSONResponse.make(.ok, ["version": SluiceVersion.current, "commit": SluiceVersion.commit, "kafka_cluster_id": clusterID])
        }
        on(.get, WorkerHealth.path) { _, _ in
            await WorkerHealth.of(box.attached?.herder).response
        }
        on(.get, "/metrics") { _, _ in
            let text = await run { exporter.render(herder) }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        on(.get, "/connectors") { request, _ in
            let expand = Set(request.uri.queryParameters.getAll("expand").map { String($0) })
            return await respond {
                let names = herder.connectorNames()
                guard !expand.isEmpty else { return JSONResponse.make(.ok, names) }
                var result: [String: Any] = [:]
                for name in names {
                    var entry: [String: Any] = [:]
                    if expand.contains("status") { entry["status"] = try statusJSON(name) }
                    if expand.contains("info") { entry["info"] = try infoJSON(name) }
                    result[name] = entry
                }
                return JSONResponse.make(.ok, result)
            }
        }
        on(.post, "/connectors") { request, _ in
            let body = try await bodyObject(request)
            return await respondOrForward(request, body: body) {
                guard let object = try parse(body) as? [String: Any] else { throw HerderError.badRequest("Request body must be a JSON object") }
                guard let name = object["name"] as? String, !name.isEmpty else {
                    throw HerderError.badRequest("Connector name must be given in the 'name' field")
                }
                try ConnectorName.check(name)
                guard let config = object["config"] as? [String: Any] else {
                    throw HerderError.badRequest("Connector config must be given in the 'config' field")
                }
                try Self.requireMatchingName(config, name)
                let initialState = try ConnectorInitialState.targetState(object[ConnectorInitialState.field])
                try herder.putConnector(name, config: try settings(config, connector: name), mustBeNew: true, initialState: initialState)
                var response = JSONResponse.make(.created, try infoJSON(name))
                response.headers[.location] = Self.location(of: name)
                return response
            }
        }
        on(.get, "/connectors/:name") { _, context in
            let name = try Self.connectorName(context)
            return await respond { JSONResponse.make(.ok, try infoJSON(name)) }
        }
        on(.delete, "/connectors/:name") { request, context in
            let name = try Self.connectorName(context)
            return await respondOrForward(request, body: Data()) {
                try herder.deleteConnector(name)
                return JSONResponse.empty(.noContent)
            }
        }
        on(.get, "/connectors/:name/config") { _, context in
            let name = try Self.connectorName(context)
            return await respond { JSONResponse.make(.ok, try herder.connectorConfig(name)) }
        }
        on(.put, "/connectors/:name/config") { request, context in
            let name = try Self.connectorName(context)
            let body = try await bodyObject(request)
            return await respondOrForward(request, body: body) {
                guard let config = try parse(body) as? [String: Any] else { throw HerderError.badRequest("Request body must be a JSON object of settings") }
                try Self.requireMatchingName(config, name)
                let created = try herder.putConnector(name, config: try settings(config, connector: name), mustBeNew: false)
                var response = JSONResponse.make(created ? .created : .ok, try infoJSON(name))
                if created { response.headers[.location] = Self.location(of: name) }
                return response
            }
        }
        // KIP-477: the body's settings replace the stored ones, a null removes one.
        on(.patch, "/connectors/:name/config") { request, context in
            let name = try Self.connectorName(context)
            let body = try await bodyObject(request)
            return await respondOrForward(request, body: body) {
                guard let patch = try parse(body) as? [String: Any] else {
                    throw HerderError.badRequest("Request body must be a JSON object of settings (null removes a setting)")
                }
                try Self.requireMatchingName(patch, name)
                var config = try herder.connectorConfig(name)
                for (key, value) in patch where value is NSNull { config[key] = nil }
                config.merge(try settings(patch.filter { !($0.value is NSNull) }, connector: name)) { _, patched in patched }
                try herder.putConnector(name, config: config, mustBeNew: false)
                return JSONResponse.make(.ok, try infoJSON(name))
            }
        }
        on(.get, "/connectors/:name/status") { _, context in
            let name = try Self.connectorName(context)
            return await respond { JSONResponse.make(.ok, try statusJSON(name)) }
        }
        on(.get, "/connectors/:name/tasks") { _, context in
            let name = try Self.connectorName(context)
            return await respond {
                let tasks = try herder.taskConfigs(name).map { task -> [String: Any] in
                    ["id": ["connector": task.id.connector, "task": task.id.task], "config": task.config]
                }
                return JSONResponse.make(.ok, tasks)
            }
        }
        on(.get, "/connectors/:name/tasks/:task/status") { _, context in
            let name = try Self.connectorName(context)
            let task = context.parameters.get("task").flatMap { Int($0) }
            return await respond {
                let status = try herder.status(name)
                guard let task, let entry = status.tasks.first(where: { $0.id == task }) else {
                    throw HerderError.taskNotFound(ConnectorTaskID(connector: name, task: task ?? -1))
                }
                return JSONResponse.make(.ok, taskJSON(entry.id, entry.status))
            }
        }
        on(.post, "/connectors/:name/restart") { request, context in
            let name = try Self.connectorName(context)
            let includeTasks = request.uri.queryParameters.get("includeTasks") == "true"
            let onlyFailed = request.uri.queryParameters.get("onlyFailed") == "true"
            return await respond {
                let before = try herder.status(name)
                try herder.requestConnectorRestart(name, includeTasks: includeTasks, onlyFailed: onlyFailed)
                guard includeTasks || onlyFailed else { return JSONResponse.empty(.noContent) }
                // As Kafka Connect: 202 with the units that will restart marked RESTARTING.
                var status = try statusJSON(name)
                if !onlyFailed || before.connector.state == .failed {
                    var connector = status["connector"] as? [String: Any] ?? [:]
                    connector["state"] = StatusState.restarting.rawValue
                    status["connector"] = connector
                }
                if includeTasks {
                    status["tasks"] = before.tasks.map { task -> [String: Any] in
                        var json = taskJSON(task.id, task.status)
                        if !onlyFailed || task.status.state == .failed { json["state"] = StatusState.restarting.rawValue }
                        return json
                    }
                }
                return JSONResponse.make(.accepted, status)
            }
        }
        on(.post, "/connectors/:name/tasks/:task/restart") { _, context in
            let name = try Self.connectorName(context)
            let task = context.parameters.get("task").flatMap { Int($0) } ?? -1
            return await respond {
                try herder.requestTaskRestart(ConnectorTaskID(connector: name, task: task))
                return JSONResponse.empty(.noContent)
            }
        }
        for (verb, target, code) in [("pause", TargetState.paused, HTTPResponse.Status.accepted), ("resume", .started, .accepted), ("stop", .stopped, .noContent)] {
            on(.put, "/connectors/:name/\(verb)") { _, context in
                let name = try Self.connectorName(context)
                return await respond {
                    try herder.setTargetState(name, target)
                    return JSONResponse.empty(code)
                }
            }
        }
        on(.get, "/connectors/:name/offsets") { _, context in
            let name = try Self.connectorName(context)
            return await respond {
                guard try herder.connectorType(name) == .source else {
                    return JSONResponse.make(.ok, ["offsets": try herder.sinkOffsets(name).map(SinkConnectorOffsets.json)])
                }
                let offsets = try herder.committedOffsets(name).sorted { $0.key < $1.key }.map { partition, offset -> [String: Any] in
                    ["partition": SourcePartitionName.object(partition), "offset": offset.jsonObject]
                }
                return JSONResponse.make(.ok, ["offsets": offsets])
            }
        }
        on(.patch, "/connectors/:name/offsets") { request, context in
            let name = try Self.connectorName(context)
            let body = try await bodyObject(request)
            return await respond {
                guard let list = (try parse(body) as? [String: Any])?["offsets"] as? [[String: Any]] else {
                    throw HerderError.badRequest("Request body must be {\"offsets\": [{\"partition\": {...}, \"offset\": {...}}]}")
                }
                if try herder.connectorType(name) == .sink {
                    try herder.alterSinkOffsets(name, to: SinkConnectorOffsets.changes(from: list))
                    return JSONResponse.make(.ok, ["message": "The offsets for this connector have been altered successfully"])
                }
                guard !list.isEmpty else { throw HerderError.badRequest("Partitions / offsets need to be provided for an alter offsets request") }
                var offsets: [String: SourceOffset] = [:]
                for entry in list {
                    guard let partition = entry["partition"].flatMap(SourcePartitionName.name),
                        let offset = entry["offset"].flatMap({ ($0 is NSNumber) ? nil : SourceOffset(json: $0) })
                    else {
                        throw HerderError.badRequest(
                            "Each offset needs {\"partition\": {...}, \"offset\": {...}} with integer offset fields, such as {\"partition\": {\"partition\": NAME}, \"offset\": {\"offset\": N}}")
                    }
                    offsets[partition] = offset
                }
                try herder.alterOffsets(name, to: offsets)
                return JSONResponse.make(.ok, ["message": "The offsets for this connector have been altered successfully"])
            }
        }
        on(.delete, "/connectors/:name/offsets") { _, context in
            let name = try Self.connectorName(context)
            return await respond {
                if try herder.connectorType(name) == .sink {
                    try herder.alterSinkOffsets(name, to: nil)
                } else {
                    try herder.alterOffsets(name, to: nil)
                }
                return JSONResponse.make(.ok, ["message": "The offsets for this connector have been reset successfully"])
            }
        }
        // KIP-558: the topics a connector's tasks used, and their reset.
        on(.get, "/connectors/:name/topics") { _, context in
            let name = try Self.connectorName(context)
            return await respond {
                guard let activeTopics = herder.activeTopics else { return JSONResponse.error(.forbidden, "Topic tracking is disabled.") }
                _ = try herder.connectorConfig(name)
                return JSONResponse.make(.ok, [name: ["topics": activeTopics.topics(of: name)]])
            }
        }
        on(.put, "/connectors/:name/topics/reset") { _, context in
            let name = try Self.connectorName(context)
            return await respond {
                guard let activeTopics = herder.activeTopics else { return JSONResponse.error(.forbidden, "Topic tracking is disabled.") }
                guard herder.topicTrackingAllowsReset else { return JSONResponse.error(.forbidden, "Topic tracking reset is disabled.") }
                _ = try herder.connectorConfig(name)
                activeTopics.reset(name)
                return JSONResponse.empty(.accepted)
            }
        }
        on(.get, "/connector-plugins") { request, _ in
            JSONResponse.make(.ok, pluginsJSON(connectorsOnly: request.uri.queryParameters.get("connectorsOnly") != "false"))
        }
        on(.get, "/connector-plugins/:plugin/config") { _, context in
            let raw = try context.parameters.require("plugin")
            let plugin = raw.removingPercentEncoding ?? raw
            return await respond {
                if let transform = TransformDefinitions.definition(of: plugin), plugin.contains(".") || (try? herder.configDefinition(of: plugin)) == nil {
                    // A transform's or predicate's own settings.
                    return JSONResponse.make(.ok, transform.keys.enumerated().map { entry -> [String: Any] in
                        var json = definitionJSON(entry.element, order: entry.offset)
                        json["group"] = NSNull()  // Kafka's transforms define no groups
                        return json
                    })
                }
                if ConnectRoutes.converterClasses.contains(plugin) || ConnectRoutes.headerConverterClasses.contains(plugin),
                    let converter = ConverterDefinitions.definition(of: plugin) {
                    // A converter's own settings, with Kafka's groups (none for converter.type).
                    return JSONResponse.make(.ok, converter.keys.enumerated().map { entry -> [String: Any] in
                        var json = definitionJSON(entry.element, order: entry.offset)
                        json["group"] = entry.element.group ?? NSNull()
                        return json
                    })
                }
                guard let definition = try? herder.configDefinition(of: plugin) else {
                    return JSONResponse.error(.notFound, "Unknown connector plugin \(plugin): GET /connector-plugins lists the connector plugins, whose settings this endpoint lists")
                }
                var seen = Set<String>()
                return JSONResponse.make(.ok, definition.enumerated().filter { seen.insert($0.element.name).inserted }.map { definitionJSON($0.element, order: $0.offset) })
            }
        }
        on(.put, "/connector-plugins/:plugin/config/validate") { request, context in
            let raw = try context.parameters.require("plugin")
            let plugin = raw.removingPercentEncoding ?? raw
            let body = try await bodyObject(request)
            return await respond {
                guard let object = try parse(body) as? [String: Any] else { throw HerderError.badRequest("Request body must be a JSON object of settings") }
                var config = try settings(object, connector: "validation")
                if let given = config["connector.class"], (try? herder.configDefinition(of: given)) == nil || given != plugin,
                    (try? herder.configDefinition(of: plugin)) != nil, given != plugin {
                    // Kafka Connect checks the class in the URL against the body's.
                    throw HerderError.badRequest("Included connector type \(given) does not match request type \(plugin)")
                }
                config["connector.class"] = plugin
                if config["name"] == nil { config["name"] = "validation" }
                // The connector's settings, then each named transform's and predicate's, as Kafka Connect lists them.
                let definition = try herder.configDefinition(of: plugin) + TransformDefinitions.keys(for: config)
                let result = try herder.validate(config)
                return JSONResponse.make(.ok, validationJSON(plugin: plugin, definition: definition, config: config, problems: result.problems))
            }
        }
    }

    // MARK: - Plumbing

    /// The `{name}` path parameter, percent-decoded (so `a%20b` is the connector
    /// `a b`), and checked like a new connector's name.
    static func connectorName(_ context: BasicRequestContext) throws -> String {
        let raw = try context.parameters.require("name")
        guard let name = raw.removingPercentEncoding else {
            throw HerderError.badRequest("Connector name \(ConnectorName.escaped(raw)) is not valid percent-encoding")
        }
        try ConnectorName.check(name)
        return name
    }

    /// Refuses a config whose `name` differs from the connector's, as Kafka Connect does.
    static func requireMatchingName(_ config: [String: Any], _ name: String) throws {
        if let inner = config["name"] as? String, inner != name {
            throw HerderError.badRequest("Connector name configuration (\(inner)) doesn't match connector name in the URL (\(name))")
        }
    }

    /// The `Location` of a created connector: `/connectors/<name>`, percent-encoded.
    static func location(of name: String) -> String {
        "/connectors/" + (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? name)
    }

    /// Marks a request one worker forwarded to the leader, so it is never forwarded again.
    static let forwardedHeader = HTTPField.Name("X-Sluice-Forwarded")!

    /// Runs `body` like ``respond(_:)``; when the herder answers that only the leader
    /// may do this, sends the same request (method, path, query, body, credentials)
    /// to the leader and answers with the leader's reply, as Kafka Connect's
    /// `completeOrForwardRequest` does. A request that was itself forwarded is not
    /// forwarded again: a leader that changed in between answers 409, and the worker
    /// that forwarded it asks the new leader until ``DistributedHerder/requestTimeoutMs``.
    private func respondOrForward(
        _ request: Request, body data: Data, _ body: @escaping @Sendable () throws -> Response
    ) async -> Response {
        let wasForwarded = request.headers[Self.forwardedHeader] != nil
        let method = request.method.rawValue
        let target = request.uri.description
        let authorization = request.headers[.authorization]
        return await run {
            let deadline = Date().addingTimeInterval(Double(DistributedHerder.requestTimeoutMs) / 1000)
            while true {
                do {
                    return try body()
                } catch let HerderError.notLeader(leaderURL) where !wasForwarded && !leaderURL.isEmpty {
                    var headers = [Self.forwardedHeader.rawName: "true"]
                    if let authorization { headers["Authorization"] = authorization }
                    let url = leaderURL.hasSuffix("/") && target.hasPrefix("/") ? leaderURL + target.dropFirst() : leaderURL + target
                    let reply: BlockingHTTPClient.Reply
                    do {
                        reply = try BlockingHTTPClient.call(
                            method, url, raw: data.isEmpty ? nil : String(decoding: data, as: UTF8.self), headers: headers,
                            timeoutSeconds: DistributedHerder.requestTimeoutMs / 1000 + 5)
                    } catch {
                        return JSONResponse.error(.internalServerError, "Forwarding the request to the leader at \(leaderURL) failed: \(error)")
                    }
                    // The leader moved while the request was on its way: ask again.
                    if reply.status == 409, (reply.object["message"] as? String)?.contains("not the leader") == true, Date() < deadline {
                        usleep(100_000)
                        continue
                    }
                    var fields = HTTPFields()
                    fields[.contentType] = reply.headers["content-type"] ?? "application/json"
                    if let location = reply.headers["location"] { fields[.location] = location }
                    return Response(
                        status: HTTPResponse.Status(code: reply.status), headers: fields,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
                } catch {
                    return Self.response(for: error)
                }
            }
        }
    }

    /// A config's JSON values as the strings Kafka Connect passes around: strings as
    /// they are, numbers and booleans as their text. Any other value (an array, an
    /// object, null) is refused, with every other problem of the config in the same 400.
    private func settings(_ object: [String: Any], connector: String) throws -> [String: String] {
        var result: [String: String] = [:]
        var problems: [ConfigProblem] = []
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            if let text = value as? String {
                result[key] = text
            } else if let number = value as? NSNumber {
                // JSON true/false arrive as Foundation's boolean NSNumber subclass.
                let isBoolean = String(describing: type(of: number)).contains("Boolean")
                result[key] = isBoolean ? (number.boolValue ? "true" : "false") : number.stringValue
            } else {
                let kind = value is NSNull ? "null" : value is [Any] ? "an array" : "an object"
                problems.append(ConfigProblem(
                    name: key, value: nil, message: "Invalid value for configuration \(key): expected a string, number or boolean, got \(kind)"))
            }
        }
        guard problems.isEmpty else {
            var settings = result
            settings["name"] = connector
            let others = (try? herder.validate(settings))?.problems ?? []
            throw RuntimeError.invalidConnectorConfig(
                connector: connector, problems: problems + others.filter { other in !problems.contains { $0.name == other.name } })
        }
        return result
    }

    private func bodyObject(_ request: Request) async throws -> Data {
        var request = request
        let buffer = try await request.collectBody(upTo: Self.maximumBodyBytes)
        return Data(buffer.readableBytesView)
    }

    /// The request body as JSON (comments allowed, see ``JSONComments``); malformed JSON is a 400 naming where it broke.
    private func parse(_ data: Data) throws -> Any? {
        guard !data.isEmpty else { return nil }
        do {
            return try JSONSerialization.jsonObject(with: Data(JSONComments.blanked(Array(data))))
        } catch {
            throw HerderError.badRequest("Request body is not valid JSON: \(error.localizedDescription)")
        }
    }

    /// Runs `body` off the server's threads and maps errors to Kafka Connect's responses.
    private func respond(_ body: @escaping @Sendable () throws -> Response) async -> Response {
        await run {
            do { return try body() } catch { return Self.response(for: error) }
        }
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: body()) }
        }
    }

    /// Kafka Connect's status code and message for `error`.
    static func response(for error: any Error) -> Response {
        switch error {
        case let error as HerderError:
            switch error {
            case .notFound, .taskNotFound: return JSONResponse.error(.notFound, error.description)
            case .alreadyExists, .rebalancing, .tasksStillStopping, .notLeader: return JSONResponse.error(.conflict, error.description)
            case .badState, .badRequest: return JSONResponse.error(.badRequest, error.description)
            }
        case let RuntimeError.invalidConnectorConfig(_, problems):
            let lines = problems.map(\.message).joined(separator: "\n")
            return JSONResponse.error(.badRequest, "Connector configuration is invalid and contains the following \(problems.count) error(s):\n\(lines)\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`")
        case let error as RuntimeError:
            return JSONResponse.error(.badRequest, error.description)
        case let error as KafkaError:
            // Kafka Connect answers 500 for a group with members too (a ConnectException).
            return JSONResponse.error(.internalServerError, error.description)
        default:
            return JSONResponse.error(.internalServerError, "\(error)")
        }
    }
}
