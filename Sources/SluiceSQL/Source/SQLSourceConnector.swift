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
    /// In incrementing and bulk modes, each table's `MAX - MIN` of the column it would be
    /// split by (0 when empty or unknown), for splitting the largest tables over spare tasks.
    private var spans: [Int64] = []

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
        spans = settings.mode.splits ? tables.map { Self.span(of: $0, in: database, settings: settings) } : []
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
    ///
    /// In incrementing and bulk modes, tasks beyond the tables go to the largest tables
    /// (by the span of their incrementing values, or in bulk mode of their integer primary
    /// key), each split into parts by ``SQLSplit``: one task per part, each part its own
    /// source partition (and, incrementing, its own offset).
    public func taskConfigs(maxTasks: Int) -> [[String: String]] {
        if queryMode { return [config] }
        guard !tables.isEmpty else { return [] }
        if maxTasks > tables.count, spans.count == tables.count {
            let counts = SQLSplit.partCounts(spans: spans, tasks: maxTasks)
            if counts.contains(where: { $0 > 1 }) {
                return zip(tables, counts).flatMap { table, count in
                    (0..<count).map { part -> [String: String] in
                        var taskConfig = config
                        taskConfig[SQLSourceTask.tablesKey] = SQLSourceTask.encode(parts: [(table, SQLSplit(part: part, parts: count))])
                        return taskConfig
                    }
                }
            }
        }
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

    /// `MAX - MIN` of `table`'s split column (``SQLSplit/column(mode:incrementing:description:)``,
    /// an index's two ends), or 0 when the table is empty, has no such column, the column
    /// is not an integer or the query fails (the table is then not split).
    private static func span(of table: SQLTableName, in database: any SQLDatabase, settings: SQLSourceConfig) -> Int64 {
        guard let description = try? database.describe(table) else { return 0 }
        let name = SQLSplit.column(mode: settings.mode, incrementing: settings.incrementingColumn, description: description)
        guard let name, description.columns.contains(name) else { return 0 }
        let column = settings.quoteIdentifiers ? database.dialect.quoted(name) : name
        let source = database.dialect.tableReference(table, quote: settings.quoteIdentifiers)
        var bounds: (Int64, Int64)?
        try? database.query("SELECT MIN(\(column)), MAX(\(column)) FROM \(source)", parameters: [], fetchSize: 1, columns: { _ in }) { row in
            if let low = row.bytes(0).flatMap(SQLSourceTask.integer), let high = row.bytes(1).flatMap(SQLSourceTask.integer) {
                bounds = (low, high)
            }
            return false
        }
        guard let (low, high) = bounds else { return 0 }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        return overflow ? Int64.max : span + (span < Int64.max ? 1 : 0)
    }
}
