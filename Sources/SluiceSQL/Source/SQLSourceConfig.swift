import Foundation
import SluiceRuntime

/// The SQL source's settings, with the JDBC source connector's names and defaults,
/// parsed and checked together so that every mistake is reported at once.
struct SQLSourceConfig {
    static let definition = ConfigDef()
        .define("connection.url", .string, documentation: "JDBC URL: jdbc:mysql://, jdbc:mariadb://, jdbc:postgresql:// or jdbc:sqlite:PATH.")
        .define("connection.user", .string, default: "", documentation: "Database user (or user= in the URL).")
        .define("connection.password", .password, default: "", documentation: "Database password (or password= in the URL); ${env:}/${file:} references work.")
        .define("connection.attempts", .int, default: "3", minimum: 1, documentation: "Connection attempts before the task fails.")
        .define("connection.backoff.ms", .long, default: "10000", minimum: 0, documentation: "Wait between connection attempts.")
        .define("mode", .string, allowed: SQLSourceMode.allCases.map(\.rawValue), documentation: "bulk, incrementing, timestamp or timestamp+incrementing.")
        .define("incrementing.column.name", .string, default: "", documentation: "The incrementing column (empty: the table's auto-increment column).")
        .define("timestamp.column.name", .list, default: "", documentation: "Timestamp columns; several are read as COALESCE(a, b, ...).")
        .define("validate.non.null", .boolean, default: "true", documentation: "Refuse incrementing/timestamp columns that may be NULL.")
        .define("table.whitelist", .list, default: "", documentation: "Tables to read (default: all).")
        .define("table.blacklist", .list, default: "", documentation: "Tables not to read.")
        .define("table.include.list", .list, default: "", documentation: "Tables to read (newer name of table.whitelist).")
        .define("table.exclude.list", .list, default: "", documentation: "Tables not to read (newer name of table.blacklist).")
        .define("table.types", .list, default: "TABLE", documentation: "Table types to read: TABLE, VIEW.")
        .define("query", .string, default: "", documentation: "A query to read instead of tables.")
        .define("query.suffix", .string, default: "", documentation: "Text appended to every query.")
        .define("topic.prefix", .string, default: "", documentation: "Prefix of the topic of each table (table mode) or the topic (query mode).")
        .define("poll.interval.ms", .int, default: "5000", minimum: 1, documentation: "How often a caught-up table is read again.")
        .define("batch.max.rows", .int, default: "1000", minimum: 1, documentation: "Rows read per query and per batch.")
        .define("table.poll.interval.ms", .long, default: "60000", minimum: 1, documentation: "How often to look for new or dropped tables.")
        .define("timestamp.delay.interval.ms", .long, default: "0", minimum: 0, documentation: "Rows newer than the database's time minus this wait for later polls.")
        .define("timestamp.initial", .string, default: "", documentation: "Epoch ms of the first timestamp to read (-1: now; empty: everything).")
        .define("db.timezone", .string, default: "UTC", documentation: "Zone of timestamp columns: UTC or a fixed offset such as +02:00.")
        .define("quote.sql.identifiers", .string, default: "ALWAYS", allowed: ["ALWAYS", "NEVER"], documentation: "Quote table and column names.")
        .define("numeric.mapping", .string, default: "none", allowed: NumericMapping.allCases.map(\.rawValue), documentation: "How DECIMAL/NUMERIC map to Connect types.")
        .define(
            "split.strategy", .string, default: "range", allowed: SQLSplitStrategy.allCases.map(\.rawValue),
            documentation: "Sluice's own: how a table is split over tasks beyond the tables (incrementing and bulk modes): range (ranges of its column; rows added later go to the last part) or remainder (value modulo the parts; rows added later spread over every part, each part's query walks the whole index).")

    var url: JdbcURL
    var user: String?
    var password: String?
    var attempts: Int
    var backoffMs: Int
    var mode: SQLSourceMode
    var incrementingColumn: String
    var timestampColumns: [String]
    var validateNonNull: Bool
    var include: [String]
    var exclude: [String]
    var tableTypes: Set<String>
    var query: String
    var querySuffix: String
    var topicPrefix: String
    /// `topics`: the one topic every table writes to, when set.
    var topic: String?
    var pollIntervalMs: Int
    /// `table.poll.interval.ms`: how often the connector looks for new or dropped tables.
    var tablePollIntervalMs: Int
    var batchMaxRows: Int
    var timestampDelayMs: Int64
    /// nil: from the beginning; -1: from the database's time at the first query.
    var timestampInitialMs: Int64?
    var zoneOffsetSeconds: Int
    var quoteIdentifiers: Bool
    var numericMapping: NumericMapping
    /// `split.strategy`: how a table is split over spare tasks.
    var splitStrategy: SQLSplitStrategy
    var valueSchemas: Bool
    /// `key.converter.decimal.format` / `value.converter.decimal.format` is `NUMERIC`:
    /// decimals as JSON numbers instead of base64.
    var numericDecimals: (key: Bool, value: Bool) = (false, false)
    var keyFormat: ConnectRowEncoder.KeyFormat

    /// Parses `config`, throwing every problem at once.
    /// - Throws: ``RuntimeError/invalidConnectorConfig(connector:problems:)``.
    init(_ config: [String: String]) throws {
        var problems = Self.definition.validate(config)
        func value(_ name: String) -> String { Self.definition.value(name, in: config) ?? "" }
        func list(_ name: String) -> [String] {
            value(name).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        func problem(_ name: String, _ message: String) {
            problems.append(ConfigProblem(name: name, value: config[name], message: message))
        }
        var url = try? JdbcURL("jdbc:sqlite::memory:")
        do {
            url = try JdbcURL(value("connection.url"))
        } catch {
            if config["connection.url"] != nil { problem("connection.url", "\(error)") }
        }
        self.url = url!
        let user = value("connection.user")
        self.user = user.isEmpty ? nil : user
        let password = value("connection.password")
        self.password = password.isEmpty ? nil : password
        attempts = Int(value("connection.attempts")) ?? 3
        backoffMs = Int(value("connection.backoff.ms")) ?? 10_000
        mode = SQLSourceMode(rawValue: value("mode")) ?? .bulk
        incrementingColumn = value("incrementing.column.name").trimmingCharacters(in: .whitespaces)
        timestampColumns = list("timestamp.column.name")
        validateNonNull = value("validate.non.null").lowercased() != "false"
        include = list("table.whitelist") + list("table.include.list")
        exclude = list("table.blacklist") + list("table.exclude.list")
        tableTypes = Set(list("table.types").map { $0.uppercased() })
        query = value("query").trimmingCharacters(in: .whitespacesAndNewlines)
        querySuffix = value("query.suffix")
        topicPrefix = value("topic.prefix")
        let topics = (config["topics"] ?? config["topic"] ?? "").trimmingCharacters(in: .whitespaces)
        topic = topics.isEmpty ? nil : topics
        pollIntervalMs = Int(value("poll.interval.ms")) ?? 5000
        tablePollIntervalMs = Int(value("table.poll.interval.ms")) ?? 60_000
        batchMaxRows = Int(value("batch.max.rows")) ?? 1000
        timestampDelayMs = Int64(value("timestamp.delay.interval.ms")) ?? 0
        let initial = value("timestamp.initial").trimmingCharacters(in: .whitespaces)
        timestampInitialMs = initial.isEmpty ? nil : Int64(initial)
        if !initial.isEmpty && Int64(initial) == nil { problem("timestamp.initial", "Invalid value \(initial) for configuration timestamp.initial: Not a number of type LONG") }
        zoneOffsetSeconds = 0
        quoteIdentifiers = value("quote.sql.identifiers").uppercased() != "NEVER"
        numericMapping = NumericMapping(rawValue: value("numeric.mapping")) ?? .none
        splitStrategy = SQLSplitStrategy(rawValue: value("split.strategy").lowercased()) ?? .range
        valueSchemas = true
        keyFormat = .json(schemas: true)

        if let zone = Self.offset(of: value("db.timezone")) {
            zoneOffsetSeconds = zone
        } else {
            problem("db.timezone", "Invalid value \(value("db.timezone")) for configuration db.timezone: use UTC or a fixed offset such as +02:00 or UTC-05:00")
        }
        if topics.contains(",") { problem("topics", "A source writes to one topic; \"topics\" names \(topics)") }
        if !query.isEmpty && (!include.isEmpty || !exclude.isEmpty) {
            problem("query", "Do not set a table list (table.whitelist/table.blacklist/table.include.list/table.exclude.list) with query")
        }
        if !include.isEmpty && !exclude.isEmpty {
            problem("table.whitelist", "Set either a list of tables to read or of tables to skip, not both")
        }
        if mode.usesTimestamp && timestampColumns.isEmpty {
            problem("timestamp.column.name", "Mode \(mode.rawValue) needs timestamp.column.name")
        }
        if !query.isEmpty && mode.usesIncrementing && incrementingColumn.isEmpty {
            problem("incrementing.column.name", "Mode \(mode.rawValue) with query needs incrementing.column.name")
        }
        if !tableTypes.isSubset(of: ["TABLE", "VIEW"]) || tableTypes.isEmpty {
            problem("table.types", "Supported table types: TABLE, VIEW")
        }
        // The SQL source writes structs: JsonConverter (the default here) or, for keys, StringConverter.
        for role in ["key.converter", "value.converter"] {
            let name = config[role].map { String($0.split(separator: ".").last ?? "") } ?? "JsonConverter"
            let schemas = (config["\(role).schemas.enable"] ?? "true").lowercased() != "false"
            switch (role, name) {
            case (_, "JsonConverter"), (_, "json"):
                if role == "value.converter" { valueSchemas = schemas } else { keyFormat = .json(schemas: schemas) }
                let format = (config["\(role).decimal.format"] ?? "BASE64").uppercased()
                if !ConverterDefinitions.decimalFormats.contains(format) {
                    problem("\(role).decimal.format", "Invalid value \(config["\(role).decimal.format"] ?? "") for configuration \(role).decimal.format: String must be one of: BASE64, NUMERIC")
                }
                if role == "value.converter" { numericDecimals.value = format == "NUMERIC" } else { numericDecimals.key = format == "NUMERIC" }
            case ("key.converter", "StringConverter"), ("key.converter", "string"):
                keyFormat = .string
            default:
                problem(role, "The SQL source writes Kafka Connect structs; use org.apache.kafka.connect.json.JsonConverter" + (role == "key.converter" ? " or StringConverter" : ""))
            }
        }
        if !problems.isEmpty {
            throw RuntimeError.invalidConnectorConfig(connector: config["name"] ?? "?", problems: problems)
        }
    }

    /// Seconds east of UTC of `zone`: UTC, GMT, Z, or an offset (+HH:MM, -HHMM, UTC+HH:MM).
    static func offset(of zone: String) -> Int? {
        var text = Substring(zone.trimmingCharacters(in: .whitespaces))
        if ["UTC", "GMT", "Z", "Etc/UTC", "Etc/GMT"].contains(String(text)) { return 0 }
        for prefix in ["UTC", "GMT"] where text.hasPrefix(prefix) { text = text.dropFirst(prefix.count) }
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        let digits = text.dropFirst().filter { $0 != ":" }
        guard digits.allSatisfy(\.isNumber), digits.count == 2 || digits.count == 4 else { return nil }
        let hours = Int(digits.prefix(2))!, minutes = digits.count == 4 ? Int(digits.suffix(2))! : 0
        guard hours <= 18, minutes < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    /// Whether `table` is to be read, by its own name or its qualified one.
    func wants(_ table: SQLTableName) -> Bool {
        let names = [table.name, table.description]
        if !include.isEmpty { return include.contains { names.contains($0) } }
        return !exclude.contains { names.contains($0) }
    }
}
