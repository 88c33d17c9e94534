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

    func validationJSON(plugin: String, definition: [ConfigDef.Key], config: [String: String], problems: [ConfigProblem]) -> [String: Any] {
        var configs: [[String: Any]] = []
        var seen = Set<String>()
        for (order, key) in definition.enumerated() where seen.insert(key.name).inserted {
            let errors = problems.filter { $0.name == key.name }.map(\.message)
            configs.append([
                "definition": [
                    "name": key.name, "type": key.type.rawValue.uppercased(), "required": key.defaultValue == nil,
                    "default_value": key.defaultValue as Any? ?? NSNull(), "importance": key.defaultValue == nil ? "HIGH" : "MEDIUM",
                    "documentation": key.documentation, "group": order < ConnectorConfig.definition.keys.count ? "Common" : "Connector",
                    "order_in_group": order + 1, "width": "NONE", "display_name": key.name, "dependents": [String](),
                ] as [String: Any],
                "value": [
                    "name": key.name, "value": config[key.name].map { ConfigDef.isSecret(key) ? "[hidden]" : $0 } as Any? ?? NSNull(),
                    "recommended_values": key.allowed, "errors": errors, "visible": true,
                ] as [String: Any],
            ])
        }
        for problem in problems where !seen.contains(problem.name) {
            configs.append(["value": ["name": problem.name, "value": problem.value as Any? ?? NSNull(), "recommended_values": [String](), "errors": [problem.message], "visible": true] as [String: Any]])
        }
        return ["name": plugin, "error_count": problems.count, "groups": ["Common", "Connector"], "configs": configs]
    }
}
