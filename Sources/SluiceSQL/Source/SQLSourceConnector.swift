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
    /// In incrementing and bulk modes, each table's `MIN` and `MAX` of the column it
    /// would be split by (nil when empty or unknown), for splitting the largest tables
    /// over spare tasks.
    private var bounds: [(low: Int64, high: Int64)?] = []
    private var splitStrategy = SQLSplitStrategy.range

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
        splitStrategy = settings.splitStrategy
        bounds = settings.mode.splits ? tables.map { Self.bounds(of: $0, in: database, settings: settings) } : []
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
        taskConfigs(maxTasks: maxTasks, running: [])
    }

    /// As ``taskConfigs(maxTasks:)``, keeping the key ranges of a table the running
    /// tasks split into as many parts as it gets now: a recheck of a growing table
    /// would otherwise find new ranges every time, and restart the tasks for nothing.
    public func taskConfigs(maxTasks: Int, running: [[String: String]]) -> [[String: String]] {
        if queryMode { return [config] }
        guard !tables.isEmpty else { return [] }
        if maxTasks > tables.count, bounds.count == tables.count {
            let spans = bounds.map { $0.map(Self.span) ?? 0 }
            let counts = SQLSplit.partCounts(spans: spans, tasks: maxTasks)
            if counts.contains(where: { $0 > 1 }) {
                let kept = Self.runningRanges(running)
                return zip(tables.indices, counts).flatMap { index, count in
                    let table = tables[index]
                    var parts: [SQLSplit?] = [nil]
                    if count > 1, let (low, high) = bounds[index] {
                        let same = kept[table].flatMap { $0.count == count && splitStrategy == .range ? $0 : nil }
                        let made = same ?? SQLSplit.parts(count, strategy: splitStrategy, low: low, high: high)
                        if !made.isEmpty { parts = made }
                    }
                    return parts.map { part -> [String: String] in
                        var taskConfig = config
                        taskConfig[SQLSourceTask.tablesKey] = SQLSourceTask.encode(parts: [(table, part)])
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

    /// The range parts each table is split into by `running` task configs, in order.
    private static func runningRanges(_ running: [[String: String]]) -> [SQLTableName: [SQLSplit]] {
        var ranges: [SQLTableName: [SQLSplit]] = [:]
        for taskConfig in running {
            for case let (table, split?) in SQLSourceTask.decodeParts(taskConfig[SQLSourceTask.tablesKey] ?? "") {
                if case .range = split { ranges[table, default: []].append(split) }
            }
        }
        // In order of their lower ends, the one without a lower end first.
        func lower(_ split: SQLSplit) -> Int128 {
            if case let .range(after?, _) = split { return Int128(after) }
            return Int128(Int64.min) - 1
        }
        return ranges.mapValues { $0.sorted { lower($0) < lower($1) } }
    }

    /// How many values `low...high` holds (saturating).
    private static func span(_ bounds: (low: Int64, high: Int64)) -> Int64 {
        let (span, overflow) = bounds.high.subtractingReportingOverflow(bounds.low)
        return overflow ? Int64.max : span + (span < Int64.max ? 1 : 0)
    }

    /// `MIN` and `MAX` of `table`'s split column (``SQLSplit/column(mode:incrementing:description:)``,
    /// an index's two ends), or nil when the table is empty, has no such column, the column
    /// is not an integer or the query fails (the table is then not split).
    private static func bounds(of table: SQLTableName, in database: any SQLDatabase, settings: SQLSourceConfig) -> (low: Int64, high: Int64)? {
        guard let description = try? database.describe(table) else { return nil }
        let name = SQLSplit.column(mode: settings.mode, incrementing: settings.incrementingColumn, description: description)
        guard let name, description.columns.contains(name) else { return nil }
        let column = settings.quoteIdentifiers ? database.dialect.quoted(name) : name
        let source = database.dialect.tableReference(table, quote: settings.quoteIdentifiers)
        var bounds: (low: Int64, high: Int64)?
        try? database.query("SELECT MIN(\(column)), MAX(\(column)) FROM \(source)", parameters: [], fetchSize: 1, columns: { _ in }) { row in
            if let low = row.bytes(0).flatMap(SQLSourceTask.integer), let high = row.bytes(1).flatMap(SQLSourceTask.integer) {
                bounds = (low, high)
            }
            return false
        }
        return bounds
    }
}
