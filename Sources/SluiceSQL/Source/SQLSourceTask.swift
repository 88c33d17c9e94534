import Foundation
import SluiceCore
import SluiceRuntime

/// Reads its tables (or the query) page by page into batches: a page of at most
/// `batch.max.rows` rows per poll, one table per batch, each row written as the
/// connector's converters would write its struct. In incrementing,
/// timestamp+incrementing and bulk modes a query stays open across polls, as the JDBC
/// source connector keeps its `ResultSet` (``SQLRowStream``): it asks for up to
/// ``pagesPerQuery`` pages, the task reads one page per poll from it, and the table
/// keeps the task until that query has ended; the server does not wait for each poll
/// to ask for the next page. Timestamp mode, and SQLite (whose read lock holds writers
/// off), ask one query per page. The batch's source offset is a
/// token for the offset the page reached (Kafka Connect's JDBC offset fields), which
/// is stored once Kafka has acknowledged the batch.
///
/// Queries, as the JDBC source connector's:
/// - incrementing: `WHERE inc > ? ORDER BY inc`
/// - timestamp: `WHERE ts > ? AND ts < ?end ORDER BY ts`, never advancing past a
///   timestamp before every row with it was read (a page that ends inside a group of
///   equal timestamps stops before that group; a group larger than a page is read in
///   pages of its own)
/// - timestamp+incrementing: `WHERE ts < ?end AND ((ts = ? AND inc > ?) OR ts > ?) ORDER BY ts, inc`
/// - bulk: the whole table, in pages, every `poll.interval.ms`
/// where `?end` is the database's time minus `timestamp.delay.interval.ms`.
public final class SQLSourceTask: SourceTask {
    /// The task config key that carries the task's tables.
    static let tablesKey = "sluice.sql.tables"
    /// Pages of `batch.max.rows` rows one streamed query asks for (its `LIMIT`): enough
    /// that starting a query is a small share of the rows' time, and a bound on how long
    /// one table holds the task and the server holds the query's snapshot. The bound also
    /// keeps the `ORDER BY ... LIMIT` form, for which the planners walk the index instead
    /// of sorting the table before the first row.
    static let pagesPerQuery = 64
    /// Where timestamp modes start without an offset or `timestamp.initial`: before any row.
    static let beginning = SQLTimestamp("1000-01-01 00:00:00")!

    private var settings: SQLSourceConfig!
    private var database: (any SQLDatabase)?
    private var readers: [SQLTableReader] = []
    private var next = 0
    private var pending: [Int64: SourceOffset] = [:]
    private var nextToken: Int64 = 0
    private var connectorName = ""
    private var log: (String) -> Void = { _ in }

    public init() {}

    /// Records are Kafka Connect JSON the task writes with its own schemas.
    public var valueFormat: SourceValueFormat { .converted }

    static func encode(tables: [SQLTableName]) -> String {
        encode(parts: tables.map { ($0, nil) })
    }

    /// The task config value for `parts`: `[catalog, schema, name]`, with a fourth
    /// element `part/parts` for a part of a split table.
    static func encode(parts: [(table: SQLTableName, split: SQLSplit?)]) -> String {
        let list = parts.map { [$0.table.catalog ?? "", $0.table.schema ?? "", $0.table.name] + ($0.split.map { [$0.description] } ?? []) }
        return String(decoding: (try? JSONSerialization.data(withJSONObject: list)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func decode(tables text: String) -> [SQLTableName] {
        decodeParts(text).map(\.table)
    }

    static func decodeParts(_ text: String) -> [(table: SQLTableName, split: SQLSplit?)] {
        guard let list = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String]] else { return [] }
        return list.filter { $0.count == 3 || ($0.count == 4 && SQLSplit(text: $0[3]) != nil) }.map {
            (SQLTableName(catalog: $0[0].isEmpty ? nil : $0[0], schema: $0[1].isEmpty ? nil : $0[1], name: $0[2]),
             $0.count == 4 ? SQLSplit(text: $0[3]) : nil)
        }
    }

    public func start(context: TaskContext) throws {
        settings = try SQLSourceConfig(context.config)
        connectorName = context.connectorName
        let (connector, task) = (context.connectorName, context.taskID)
        log = { line in FileHandle.standardError.write(Data("sluice: connector \(connector) task \(task): \(line)\n".utf8)) }
        let database = try SQLConnections.open(settings, log: log)
        self.database = database
        let dialect = database.dialect
        func quote(_ name: String) -> String { settings.quoteIdentifiers ? dialect.quoted(name) : name }
        if !settings.query.isEmpty {
            let partition = SourcePartitionName.text(["query": "query"]) ?? "query"
            let reader = SQLTableReader(
                table: nil, partitionName: partition, topic: settings.topic ?? settings.topicPrefix, label: "query",
                source: "(\(settings.query)) sluice_query")
            try configure(reader, description: nil, quote: quote)
            readers = [reader]
        } else {
            readers = try Self.decodeParts(context.config[Self.tablesKey] ?? "").map { table, split in
                let split = settings.mode.splits ? split : nil
                var object: [String: Any] = ["protocol": "1", "table": table.description]
                if let split { object["split"] = split.description }
                let partition = SourcePartitionName.text(object) ?? table.description
                let reader = SQLTableReader(
                    table: table, partitionName: partition, topic: settings.topic ?? settings.topicPrefix + table.name,
                    label: table.name, source: dialect.tableReference(table, quote: settings.quoteIdentifiers))
                reader.split = split
                try configure(reader, description: try database.describe(table), quote: quote)
                return reader
            }
        }
        for reader in readers {
            let offset = context.sourceOffsets[reader.partitionName]
            reader.lastIncrementing = offset?["incrementing"]
            if settings.mode == .incrementing, let table = reader.table {
                reader.lastIncrementing = SQLSplit.start(table: table.description, split: reader.split, offsets: context.sourceOffsets)
            }
            if let milliseconds = offset?["timestamp"] {
                var stamp = SQLTimestamp(milliseconds: milliseconds)
                if let nanos = offset?["timestamp_nanos"] { stamp.nanos = Int32(clamping: nanos) }
                reader.lastTimestamp = stamp
            }
        }
    }

    /// Finds `reader`'s columns and checks them against the table's catalog entry.
    private func configure(_ reader: SQLTableReader, description: SQLTableDescription?, quote: (String) -> String) throws {
        let mode = settings.mode
        let label = reader.table?.description ?? "query"
        func check(_ column: String, role: String) throws {
            guard let description else { return }
            guard description.columns.contains(column) else {
                throw SQLError.badColumn(table: label, column: column, reason: "no such column (\(role))")
            }
            if settings.validateNonNull && !description.notNull.contains(column) {
                throw SQLError.badColumn(
                    table: label, column: column,
                    reason: "the \(role) column may be NULL; rows with NULL there would never be read (make it NOT NULL, or set validate.non.null=false)")
            }
        }
        if let description {
            reader.notNull = description.notNull
            reader.keyNames = description.primaryKey
            if !description.primaryKey.isEmpty { reader.stableOrder = " ORDER BY " + description.primaryKey.map(quote).joined(separator: ", ") }
            if reader.split != nil {
                guard let column = SQLSplit.column(mode: mode, incrementing: settings.incrementingColumn, description: description) else {
                    throw SQLError.badColumn(
                        table: label, column: description.primaryKey.joined(separator: ","),
                        reason: "the table is split over tasks by its primary key, which is no longer one column; restart the connector to split it again")
                }
                reader.splitColumn = quote(column)
            }
        }
        if mode.usesIncrementing {
            var column = settings.incrementingColumn
            if column.isEmpty {
                guard let automatic = description?.autoIncrement else {
                    throw SQLError.badColumn(table: label, column: "(none)", reason: "mode \(mode.rawValue) needs incrementing.column.name: the table has no auto-increment column")
                }
                column = automatic
            }
            try check(column, role: "incrementing")
            reader.incrementing = (quote(column), column)
        }
        if mode.usesTimestamp {
            for column in settings.timestampColumns { try check(column, role: "timestamp") }
            reader.timestampNames = settings.timestampColumns
            let columns = settings.timestampColumns.map(quote)
            reader.timestampExpression = database!.dialect.timestampExpression(columns.count == 1 ? columns[0] : "COALESCE(\(columns.joined(separator: ", ")))")
        }
    }

    public func stop() {
        for reader in readers { reader.stream = nil }
        database?.close()
        database = nil
    }

    public func sourcePartitionName(_ index: Int) -> String? {
        readers.indices.contains(index) && settings.mode != .bulk ? readers[index].partitionName : nil
    }

    public func sourceOffset(of batch: RecordBatch) -> SourceOffset? {
        pending.removeValue(forKey: batch.sourceOffset)
    }

    public func poll(into batch: RecordBatch) throws -> SourcePollResult {
        let now = MonotonicClock.nanoseconds()
        // A table whose query is still open keeps the task until that query ends.
        if let open = readers.firstIndex(where: { $0.stream != nil }) { next = open }
        for _ in 0..<readers.count {
            let index = next
            next = (next + 1) % readers.count
            let reader = readers[index]
            guard reader.due <= now else { continue }
            let before = reader.position
            let rows: Int, more: Bool
            do {
                (rows, more) = try read(reader, into: batch)
            } catch let error as SQLError where database?.isConnected == false {
                // The server or the network went away mid-read: forget what this read
                // wrote, and read it again over a new connection.
                reader.position = before
                reader.stream = nil
                batch.reset()
                try reconnect(after: error)
                return .caughtUp
            }
            if !more { reader.due = MonotonicClock.nanoseconds() + UInt64(settings.pollIntervalMs) * 1_000_000 }
            guard rows > 0 else { continue }
            batch.topic = reader.topic
            batch.sourcePartition = index
            if settings.mode == .bulk {
                batch.sourceOffset = -1
            } else {
                var fields: [String: Int64] = [:]
                if let value = reader.lastIncrementing, settings.mode.usesIncrementing { fields["incrementing"] = value }
                if let stamp = reader.lastTimestamp, settings.mode.usesTimestamp {
                    fields["timestamp"] = stamp.milliseconds
                    fields["timestamp_nanos"] = Int64(stamp.nanos)
                }
                nextToken += 1
                pending[nextToken] = SourceOffset(fields)
                batch.sourceOffset = nextToken
            }
            return more ? .batchFull : .caughtUp
        }
        return .caughtUp
    }

    /// Replaces a connection that was lost with a new one, tried `connection.attempts`
    /// times `connection.backoff.ms` apart, as Kafka Connect's JDBC source reconnects.
    /// - Throws: the last attempt's error, which fails the task.
    private func reconnect(after error: SQLError) throws {
        database?.close()
        database = nil
        log("the connection was lost (\(error)); connecting again")
        database = try SQLConnections.open(settings, log: log)
        log("connected again")
    }

    /// Reads one page of `reader` into `batch`; returns the rows written and whether
    /// more are ready now.
    private func read(_ reader: SQLTableReader, into batch: RecordBatch) throws -> (rows: Int, more: Bool) {
        guard let database else { throw SQLError.connection(database: "SQL", target: "", reason: "the task is stopped") }
        if settings.mode == .timestamp { return try readTimestampPage(reader, into: batch, from: database) }
        return try readStreamed(reader, into: batch, from: database)
    }

    /// Reads one page of `reader` from its open query (starting one when there is none)
    /// in incrementing, timestamp+incrementing and bulk modes. A query that ended before
    /// its `LIMIT` has read everything there was: the table waits `poll.interval.ms`. One
    /// that reached its `LIMIT` is followed at once by the next. Where reading holds
    /// writers off (``SQLDatabase/readsBlockWriters``) a query asks for one page only.
    private func readStreamed(
        _ reader: SQLTableReader, into batch: RecordBatch, from database: any SQLDatabase
    ) throws -> (rows: Int, more: Bool) {
        let pageRows = settings.batchMaxRows
        let queryRows = pageRows.multipliedReportingOverflow(by: database.readsBlockWriters ? 1 : Self.pagesPerQuery)
        let limit = queryRows.overflow ? Int.max : queryRows.partialValue
        var rows = 0
        while true {
            let stream = try reader.stream ?? startQuery(reader, limit: limit, on: database)
            let open: Bool
            do {
                open = try stream.read { row in
                    guard rows < pageRows else { return false }
                    let next = try position(of: reader, after: row)
                    guard try write(row, reader, into: batch) else { return false }
                    rows += 1
                    reader.streamed += 1
                    reader.position = next
                    return true
                }
            } catch {
                reader.closeStream()
                throw error
            }
            if open { return (rows, true) }
            reader.stream = nil
            if reader.streamed < limit {
                if settings.mode == .bulk { reader.bulkDone = 0 }
                return (rows, false)
            }
            if rows > 0 { return (rows, true) }
        }
    }

    /// Starts `reader`'s next query of at most `limit` rows from where it stands.
    private func startQuery(
        _ reader: SQLTableReader, limit: Int, on database: any SQLDatabase
    ) throws -> any SQLRowStream {
        let dialect = database.dialect
        func placeholder(_ n: Int) -> String { dialect.placeholder(n) }
        var sql: String
        var parameters: [SQLParameter] = []
        switch settings.mode {
        case .bulk:
            var part = ""
            if let split = reader.split, let column = reader.splitColumn { part = " WHERE " + split.condition(column) }
            sql = "SELECT * FROM \(reader.source)\(part)\(reader.stableOrder) LIMIT \(limit) OFFSET \(reader.bulkDone)"
        case .incrementing:
            let column = reader.incrementing!.quoted
            let part = reader.split.map { " AND " + $0.condition(column) } ?? ""
            sql = "SELECT * FROM \(reader.source) WHERE \(column) > \(placeholder(1))\(part) ORDER BY \(column) ASC LIMIT \(limit)"
            parameters = [.int64(reader.lastIncrementing ?? Int64.min)]
        case .timestampIncrementing:
            let end = try database.now().adding(milliseconds: -settings.timestampDelayMs)
            if reader.lastTimestamp == nil {
                reader.lastTimestamp = settings.timestampInitialMs.map { $0 == -1 ? end : SQLTimestamp(milliseconds: $0) } ?? Self.beginning
            }
            let begin = reader.lastTimestamp!
            let ts = reader.timestampExpression!, inc = reader.incrementing!.quoted
            sql = "SELECT * FROM \(reader.source) WHERE \(ts) < \(placeholder(1)) AND ((\(ts) = \(placeholder(2)) AND \(inc) > \(placeholder(3))) OR \(ts) > \(placeholder(4))) ORDER BY \(ts), \(inc) ASC LIMIT \(limit)"
            parameters = [.timestamp(end), .timestamp(begin), .int64(reader.lastIncrementing ?? Int64.min), .timestamp(begin)]
        case .timestamp:
            preconditionFailure("timestamp mode reads a query per page")
        }
        if !settings.querySuffix.isEmpty { sql += " " + settings.querySuffix }
        let stream = try database.stream(sql, parameters: parameters, fetchSize: settings.batchMaxRows)
        do {
            try prepare(reader, columns: stream.columns)
        } catch {
            stream.close()
            throw error
        }
        reader.stream = stream
        reader.streamed = 0
        return stream
    }

    /// Where `reader` stands once `row` is written: its incrementing value, its timestamp
    /// (timestamp+incrementing), or one more row of the bulk round.
    /// - Throws: ``SQLError/badValue(table:column:reason:)`` for a NULL or unreadable
    ///   incrementing value or timestamp, before the row is written.
    private func position(of reader: SQLTableReader, after row: any SQLRow) throws -> SQLTableReader.Position {
        var position = reader.position
        switch settings.mode {
        case .bulk:
            position.bulkDone += 1
        case .incrementing:
            position.lastIncrementing = try incrementingValue(of: row, reader)
        case .timestampIncrementing:
            guard let stamp = try timestamp(of: row, reader) else { throw nullTimestamp(reader) }
            position.lastIncrementing = try incrementingValue(of: row, reader)
            position.lastTimestamp = stamp
        case .timestamp:
            break
        }
        return position
    }

    /// `row`'s incrementing value (nil when `reader` has no incrementing column).
    private func incrementingValue(of row: any SQLRow, _ reader: SQLTableReader) throws -> Int64? {
        guard let index = reader.incrementingIndex else { return nil }
        guard let text = row.bytes(index) else {
            throw SQLError.badValue(table: reader.label, column: reader.incrementing?.name ?? "", reason: "NULL in the incrementing column")
        }
        guard let value = Self.integer(text) else {
            throw SQLError.badValue(table: reader.label, column: reader.incrementing?.name ?? "", reason: "the incrementing value is not an integer")
        }
        return value
    }

    private func nullTimestamp(_ reader: SQLTableReader) -> SQLError {
        SQLError.badValue(table: reader.label, column: reader.timestampNames.joined(separator: ","), reason: "NULL timestamp")
    }

    /// Reads one page of `reader` in timestamp mode, with a query of its own:
    /// `WHERE ts > ? AND ts < ?end`, ending before the page's last timestamp so that
    /// only whole groups of equal timestamps are passed; a group larger than a page is
    /// read in pages of its own.
    private func readTimestampPage(
        _ reader: SQLTableReader, into batch: RecordBatch, from database: any SQLDatabase
    ) throws -> (rows: Int, more: Bool) {
        let limit = min(settings.batchMaxRows, reader.rowsThatFit ?? Int.max)
        let suffix = settings.querySuffix.isEmpty ? "" : " " + settings.querySuffix
        let dialect = database.dialect
        func placeholder(_ n: Int) -> String { dialect.placeholder(n) }
        let end = try database.now().adding(milliseconds: -settings.timestampDelayMs)
        if reader.lastTimestamp == nil {
            reader.lastTimestamp = settings.timestampInitialMs.map { $0 == -1 ? end : SQLTimestamp(milliseconds: $0) } ?? Self.beginning
        }
        let begin = reader.lastTimestamp!
        let ts = reader.timestampExpression!
        var sql: String
        var parameters: [SQLParameter]
        var stoppedAtBoundary = false
        if let group = reader.group {
            sql = "SELECT * FROM \(reader.source) WHERE \(ts) = \(placeholder(1))\(reader.stableOrder) LIMIT \(limit) OFFSET \(group.done)"
            parameters = [.timestamp(group.timestamp)]
        } else {
            // The timestamp of the page's last row: rows up to (not including) it make whole groups.
            var boundary: SQLTimestamp?
            try database.query(
                "SELECT \(ts) FROM \(reader.source) WHERE \(ts) > \(placeholder(1)) AND \(ts) < \(placeholder(2)) ORDER BY \(ts) ASC LIMIT 1 OFFSET \(limit - 1)",
                parameters: [.timestamp(begin), .timestamp(end)], fetchSize: 1, columns: { _ in }
            ) { row in
                boundary = row.bytes(0).flatMap { SQLTimestamp(text: $0, offsetSeconds: settings.zoneOffsetSeconds) }
                return false
            }
            sql = "SELECT * FROM \(reader.source) WHERE \(ts) > \(placeholder(1)) AND \(ts) < \(placeholder(2)) ORDER BY \(ts) ASC"
            parameters = [.timestamp(begin), .timestamp(boundary ?? end)]
            stoppedAtBoundary = boundary != nil
            if let boundary {
                // Is the whole page one group? Then read that group in pages.
                var first: SQLTimestamp?
                try database.query(
                    "SELECT \(ts) FROM \(reader.source) WHERE \(ts) > \(placeholder(1)) ORDER BY \(ts) ASC LIMIT 1",
                    parameters: [.timestamp(begin)], fetchSize: 1, columns: { _ in }
                ) { row in
                    first = row.bytes(0).flatMap { SQLTimestamp(text: $0, offsetSeconds: settings.zoneOffsetSeconds) }
                    return false
                }
                if first == boundary {
                    reader.group = (boundary, 0)
                    return try readTimestampPage(reader, into: batch, from: database)
                }
            }
        }
        sql += suffix
        var rows = 0
        var cut = false
        var lastTimestampInPage: SQLTimestamp?
        var completeThrough: SQLTimestamp?
        try database.query(sql, parameters: parameters, fetchSize: limit, columns: { columns in
            try prepare(reader, columns: columns)
        }) { row in
            guard let stamp = try timestamp(of: row, reader) else { throw nullTimestamp(reader) }
            guard try write(row, reader, into: batch) else {
                cut = true
                reader.rowsThatFit = max(rows, 1)
                return false
            }
            rows += 1
            if let previous = lastTimestampInPage, previous != stamp { completeThrough = previous }
            lastTimestampInPage = stamp
            return true
        }
        if let group = reader.group {
            if cut || rows == limit {
                reader.group = (group.timestamp, group.done + rows)
                return (rows, true)
            }
            reader.group = nil
            reader.lastTimestamp = group.timestamp
            return (rows, true)
        }
        if cut {
            // Up to the last whole group written; a first group cut by a full batch continues in group pages.
            if let completeThrough {
                reader.lastTimestamp = completeThrough
            } else if let stamp = lastTimestampInPage {
                reader.group = (stamp, rows)
            }
            return (rows, true)
        }
        if let stamp = lastTimestampInPage { reader.lastTimestamp = stamp }
        return (rows, stoppedAtBoundary)
    }
    /// The integer in `text` (`-12`, or `12.000` as drivers write integral decimals),
    /// read from the bytes without making a string.
    static func integer(_ text: UnsafeRawBufferPointer) -> Int64? {
        // Up to 18 digits cannot overflow: one unchecked loop (an incrementing column is read on every row).
        if text.count <= 18 {
            let negative = !text.isEmpty && text[0] == UInt8(ascii: "-")
            var index = negative ? 1 : 0
            let first = index
            var value: Int64 = 0
            while index < text.count {
                let digit = text[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                value = value &* 10 &+ Int64(digit)
                index &+= 1
            }
            if index == text.count && index > first { return negative ? -value : value }
        }
        var value: Int64 = 0
        var negative = false
        var digits = 0
        var index = 0
        if index < text.count && text[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        while index < text.count, text[index] >= 48, text[index] <= 57 {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(text[index] - 48))
            guard !overflow && !overflow2 else { return nil }
            value = sum
            digits += 1
            index += 1
        }
        if index < text.count && text[index] == UInt8(ascii: ".") {
            index += 1
            while index < text.count && text[index] == UInt8(ascii: "0") { index += 1 }
        }
        guard digits > 0, index == text.count else { return nil }
        return negative ? -value : value
    }

    /// Builds `reader`'s encoder for a result's columns (once per table).
    private func prepare(_ reader: SQLTableReader, columns: [SQLColumn]) throws {
        guard reader.encoder == nil else { return }
        var typed = columns
        for index in typed.indices where reader.notNull.contains(typed[index].name) { typed[index].nullable = false }
        let names = typed.map(\.name)
        reader.incrementingIndex = reader.incrementing.flatMap { names.firstIndex(of: $0.name) }
        if settings.mode.usesIncrementing && reader.incrementingIndex == nil {
            throw SQLError.badColumn(table: reader.label, column: reader.incrementing?.name ?? settings.incrementingColumn, reason: "not in the result")
        }
        reader.timestampIndices = try reader.timestampNames.map { name in
            guard let index = names.firstIndex(of: name) else { throw SQLError.badColumn(table: reader.label, column: name, reason: "not in the result") }
            return index
        }
        let keyColumns = reader.keyNames.compactMap { names.firstIndex(of: $0) }
        reader.encoder = try ConnectRowEncoder(
            table: reader.label, columns: typed, keyColumns: keyColumns.count == reader.keyNames.count ? keyColumns : [],
            valueSchemas: settings.valueSchemas, keyFormat: settings.keyFormat, numericMapping: settings.numericMapping,
            zoneOffsetSeconds: settings.zoneOffsetSeconds, numericDecimals: settings.numericDecimals)
    }

    private func timestamp(of row: any SQLRow, _ reader: SQLTableReader) throws -> SQLTimestamp? {
        for index in reader.timestampIndices {
            guard let text = row.bytes(index) else { continue }
            guard let stamp = SQLTimestamp(text: text, offsetSeconds: settings.zoneOffsetSeconds) else {
                throw SQLError.badValue(table: reader.label, column: reader.timestampNames.joined(separator: ","), reason: "'\(String(decoding: text, as: UTF8.self))' is not a timestamp")
            }
            return stamp
        }
        return nil
    }

    /// Writes `row` into `batch`; false when the batch is full.
    private func write(_ row: any SQLRow, _ reader: SQLTableReader, into batch: RecordBatch) throws -> Bool {
        try reader.encoder!.append(row, to: batch)
    }
}
