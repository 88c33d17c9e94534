import Foundation
import SluiceRuntime

/// The JSON bodies of Kafka Connect's REST API: connector info, status, task
/// status and validation results.
extension ConnectRoutes {
    func infoJSON(_ name: String) throws -> [String: Any] {
        let config = try herder.connectorConfig(name)
        let tasks = try herder.taskConfigs(name).map { ["connector": $0.id.connector, "task": $0.id.task] as [String: Any] }
        return ["name": name, "config": config, "tasks": tasks, "type": try herder.connectorType(name).rawValue]
    }

    func statusJSON(_ name: String) throws -> [String: Any] {
        let status = try herder.status(name)
        var connector: [String: Any] = ["state": status.connector.state.rawValue, "worker_id": status.connector.workerID]
        if let trace = status.connector.trace { connector["trace"] = trace }
        return [
            "name": name, "connector": connector, "tasks": status.tasks.map { taskJSON($0.id, $0.status) },
            "type": try herder.connectorType(name).rawValue,
        ]
    }

    func taskJSON(_ id: Int, _ entry: StatusEntry) -> [String: Any] {
        var json: [String: Any] = ["id": id, "state": entry.state.rawValue, "worker_id": entry.workerID]
        if let trace = entry.trace { json["trace"] = trace }
        return json
    }

    /// One setting as Kafka Connect's `ConfigKeyInfo`: what `GET /connector-plugins/{plugin}/config`
    /// lists and the validate endpoint's `definition`. `order` is the setting's place in the
    /// connector's definition (the common settings first).
    func definitionJSON(_ key: ConfigDef.Key, order: Int) -> [String: Any] {
        [
            "name": key.name, "type": key.type.rawValue.uppercased(), "required": key.defaultValue == nil,
            "default_value": key.defaultValue as Any? ?? NSNull(), "importance": key.defaultValue == nil ? "HIGH" : "MEDIUM",
            "documentation": key.documentation, "group": key.group ?? (order < ConnectorConfig.definition.keys.count ? "Common" : "Connector"),
            "order": order + 1, "width": "NONE", "display_name": key.name, "dependents": [String](),
        ]
    }

    /// The plugins `GET /connector-plugins` lists: the connectors, and with
    /// `connectorsOnly=false` also the transforms, predicates, converters and header
    /// converters, each with Kafka Connect's class name and type.
    func pluginsJSON(connectorsOnly: Bool) -> [[String: Any]] {
        var plugins: [(String, String)] = herder.plugins.map { ($0.className, $0.type.rawValue) }
        if !connectorsOnly {
            plugins += TransformCatalog.transformNames.map { ("org.apache.kafka.connect.transforms." + $0, "transformation") }
            plugins += TransformCatalog.predicateNames.map { ($0, "predicate") }
            plugins += Self.converterClasses.map { ($0, "converter") }
            plugins += Self.headerConverterClasses.map { ($0, "header_converter") }
        }
        return plugins.map { ["class": $0.0, "type": $0.1, "version": SluiceVersion.current] }
    }

    /// The converters `key.converter` and `value.converter` take, by Kafka's class names.
    static let converterClasses = [
        "org.apache.kafka.connect.converters.ByteArrayConverter", "org.apache.kafka.connect.json.JsonConverter",
        "org.apache.kafka.connect.storage.StringConverter",
    ]

    /// The header converters accepted (``HeaderConverterSetting``).
    static let headerConverterClasses = [
        "org.apache.kafka.connect.converters.ByteArrayConverter", "org.apache.kafka.connect.storage.SimpleHeaderConverter",
        "org.apache.kafka.connect.storage.StringConverter",
    ]

    func validationJSON(plugin: String, definition: [ConfigDef.Key], config: [String: String], problems: [ConfigProblem]) -> [String: Any] {
        var configs: [[String: Any]] = []
        var seen = Set<String>()
        for (order, key) in definition.enumerated() where seen.insert(key.name).inserted {
            let errors = problems.filter { $0.name == key.name }.map(\.message)
            configs.append([
                "definition": definitionJSON(key, order: order),
                "value": [
                    "name": key.name, "value": config[key.name].map { ConfigDef.isSecret(key) ? "[hidden]" : $0 } as Any? ?? NSNull(),
                    "recommended_values": key.allowed, "errors": errors, "visible": true,
                ] as [String: Any],
            ])
        }
        for problem in problems where !seen.contains(problem.name) {
            configs.append(["value": ["name": problem.name, "value": problem.value as Any? ?? NSNull(), "recommended_values": [String](), "errors": [problem.message], "visible": true] as [String: Any]])
        }
        var groups = ["Common", "Connector"]
        for key in definition { if let group = key.group, !groups.contains(group) { groups.append(group) } }
        return ["name": plugin, "error_count": problems.count, "groups": groups, "configs": configs]
    }
}
