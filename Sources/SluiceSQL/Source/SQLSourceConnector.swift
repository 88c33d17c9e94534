import Foundation
import SluiceRuntime

/// The SQL table source that Kafka Connect users know as the JDBC source connector
/// (`io.confluent.connect.jdbc.JdbcSourceConnector`): it reads tables (or one query)
/// of MySQL/MariaDB, PostgreSQL or SQLite into topics, in `bulk`, `incrementing`,
/// `timestamp` or `timestamp+incrementing` mode, with the tables split over up to
/// `tasks.max` tasks as Kafka Connect splits them.
///
/// Tables created or dropped while it runs are noticed every `table.poll.interval.ms`
/// (the runtime rechecks its task configs, see ``MonitoringConnector``); query mode has
/// no tables to watch.
public final class SQLSourceConnector: SourceConnector, MonitoringConnector {
    public var configDef: ConfigDef { SQLSourceConfig.definition }
    private var config: [String: String] = [:]
    private var tables: [SQLTableName] = []
    private var queryMode = false
    private var tablePollIntervalMs = 60_000

    /// `table.poll.interval.ms`, or nil in query mode.
    public var taskConfigsRecheckIntervalMs: Int? { queryMode ? nil : tablePollIntervalMs }

    public init() {}

    public func start(config: [String: String]) throws {
        let settings = try SQLSourceConfig(config)
        self.config = config
        queryMode = !settings.query.isEmpty
        tablePollIntervalMs = settings.tablePollIntervalMs
        guard !queryMode else { return }
        let database = try SQLConnections.open(settings)
        defer { database.close() }
        tables = try database.tables(types: settings.tableTypes).filter(settings.wants)
        let missing = settings.include.filter { name in !tables.contains { $0.name == name || $0.description == name } }
        if !missing.isEmpty {
            throw RuntimeError.invalidConnectorConfig(
                connector: config["name"] ?? "?",
                problems: [ConfigProblem(name: config["table.include.list"] != nil ? "table.include.list" : "table.whitelist", value: missing.joined(separator: ","),
                                         message: "No such table in \(settings.url.target): \(missing.joined(separator: ", "))")])
        }
    }

    /// The tables found at start, split into `min(tables, maxTasks)` contiguous groups
    /// (Kafka Connect's `ConnectorUtils.groupPartitions`); one task for a query.
    public func taskConfigs(maxTasks: Int) -> [[String: String]] {
        if queryMode { return [config] }
        guard !tables.isEmpty else { return [] }
        let count = max(1, min(maxTasks, tables.count))
        var groups: [[SQLTableName]] = []
        var start = 0
        for group in 0..<count {
            let size = tables.count / count + (group < tables.count % count ? 1 : 0)
            groups.append(Array(tables[start..<(start + size)]))
            start += size
        }
        return groups.map { group in
            var taskConfig = config
            taskConfig[SQLSourceTask.tablesKey] = SQLSourceTask.encode(tables: group)
            return taskConfig
        }
    }

    public func makeTask() -> SourceTask { SQLSourceTask() }
}
