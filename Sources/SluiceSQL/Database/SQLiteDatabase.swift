import CSQLite
import Foundation

/// A SQLite database file through libsqlite3 (`jdbc:sqlite:PATH`).
///
/// SQLite keeps timestamps as text; the source compares them through
/// `strftime('%Y-%m-%d %H:%M:%f', column)` against bound text of the same form
/// (millisecond precision), so `2024-01-02 03:04:05` and `2024-01-02 03:04:05.000`
/// are the same instant.
///
/// Ownership rule: the connection owns its `sqlite3` handle; each statement is owned
/// by its ``SQLiteRowStream``, finalized when its rows end or it is closed, which
/// happens before the handle is closed. The connection is used by one thread at a time.
public final class SQLiteDatabase: SQLDatabase {
    private var handle: OpaquePointer?
    private let path: String
    /// The stream last started, ended before any other statement (as on every ``SQLDatabase``).
    private weak var activeStream: SQLiteRowStream?

    public let dialect = SQLDialect(name: "SQLite", quote: "\"", numberedPlaceholders: false) {
        "strftime('%Y-%m-%d %H:%M:%f', \($0))"
    }

    /// Opens the file `url` names; it must exist unless `create` is set.
    /// - Throws: ``SQLError/connection(database:target:reason:)``.
    public init(url: JdbcURL, create: Bool = false) throws {
        path = url.database
        var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
        if create { flags |= SQLITE_OPEN_CREATE }
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            let reason = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(opened)
            throw SQLError.connection(database: "SQLite", target: path, reason: reason)
        }
        handle = opened
        sqlite3_busy_timeout(opened, 10_000)
    }

    deinit { close() }

    /// An open statement holds a read lock, which keeps writers out in rollback-journal mode.
    public var readsBlockWriters: Bool { true }

    /// An open file has no connection to lose: true until ``close()``.
    public var isConnected: Bool { handle != nil }

    public func close() {
        activeStream?.close()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// The open handle, free for a statement (an open stream is ended first).
    private var connection: OpaquePointer {
        get throws {
            activeStream?.close()
            guard let handle else { throw SQLError.connection(database: "SQLite", target: path, reason: "the connection is closed") }
            return handle
        }
    }

    public func tables(types: Set<String>) throws -> [SQLTableName] {
        let kinds = types.compactMap { ["TABLE": "'table'", "VIEW": "'view'"][$0] }
        guard !kinds.isEmpty else { return [] }
        var names: [SQLTableName] = []
        try query(
            "SELECT name FROM sqlite_master WHERE type IN (\(kinds.joined(separator: ","))) AND name NOT LIKE 'sqlite_%' ORDER BY name",
            parameters: [], fetchSize: 1000, columns: { _ in }
        ) { row in
            names.append(SQLTableName(name: row.bytes(0).map { String(decoding: $0, as: UTF8.self) } ?? ""))
            return true
        }
        return names
    }

    public func describe(_ table: SQLTableName) throws -> SQLTableDescription {
        var columns: [String] = []
        var notNull: Set<String> = []
        var keyed: [(position: Int, name: String, type: String)] = []
        try query("PRAGMA table_info(\(dialect.quoted(table.name)))", parameters: [], fetchSize: 1000, columns: { _ in }) { row in
            func text(_ i: Int) -> String { row.bytes(i).map { String(decoding: $0, as: UTF8.self) } ?? "" }
            let name = text(1)
            columns.append(name)
            if text(3) == "1" { notNull.insert(name) }
            if let position = Int(text(5)), position > 0 { keyed.append((position, name, text(2))) }
            return true
        }
        guard !columns.isEmpty else { throw SQLError.noSuchTable(table.description) }
        let key = keyed.sorted { $0.position < $1.position }
        // A single INTEGER PRIMARY KEY is the rowid: SQLite numbers it itself.
        let autoIncrement = key.count == 1 && key[0].type.uppercased() == "INTEGER" ? key[0].name : nil
        if let autoIncrement { notNull.insert(autoIncrement) }
        return SQLTableDescription(columns: columns, notNull: notNull, autoIncrement: autoIncrement, primaryKey: key.map(\.name))
    }

    public func now() throws -> SQLTimestamp {
        var now: SQLTimestamp?
        try query("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')", parameters: [], fetchSize: 1, columns: { _ in }) { row in
            now = row.bytes(0).flatMap { SQLTimestamp(text: $0) }
            return false
        }
        guard let now else { throw SQLError.query(database: "SQLite", sql: "now", reason: "no time") }
        return now
    }

    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(try connection, sql, nil, nil, &message) == SQLITE_OK else {
            let reason = message.map { String(cString: $0) } ?? "failed"
            sqlite3_free(message)
            throw SQLError.query(database: "SQLite", sql: sql, reason: reason)
        }
    }

    /// Prepares `sql`, binds `parameters` (timestamps as millisecond text, as the dialect
    /// compares them) and steps to its first row (``SQLiteRowStream``); SQLite hands rows
    /// one at a time from its own pages, so `fetchSize` does not matter here.
    public func stream(_ sql: String, parameters: [SQLParameter], fetchSize: Int) throws -> any SQLRowStream {
        let db = try connection
        var prepared: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &prepared, nil) == SQLITE_OK, let statement = prepared else {
            throw SQLError.query(database: "SQLite", sql: sql, reason: String(cString: sqlite3_errmsg(db)))
        }
        // SQLITE_TRANSIENT: SQLite copies bound text before the call returns.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (index, parameter) in parameters.enumerated() {
            let position = Int32(index + 1)
            switch parameter {
            case .int64(let value): sqlite3_bind_int64(statement, position, value)
            case .text(let value): sqlite3_bind_text(statement, position, value, -1, transient)
            case .timestamp(let value): sqlite3_bind_text(statement, position, value.text(fractionDigits: 3), -1, transient)
            }
        }
        let stream = try SQLiteRowStream(statement: statement, connection: db, sql: sql)
        activeStream = stream
        return stream
    }

    /// The result's columns, typed by their declared types (SQLite's affinity
    /// rules), or for expressions by the current row's value.
    static func columns(of statement: OpaquePointer) -> [SQLColumn] {
        (0..<sqlite3_column_count(statement)).map { index in
            let name = String(cString: sqlite3_column_name(statement, index))
            if let declared = sqlite3_column_decltype(statement, index) {
                let text = String(cString: declared)
                return SQLColumn(name: name, type: type(declared: text), typeName: text)
            }
            switch sqlite3_column_type(statement, index) {
            case SQLITE_INTEGER: return SQLColumn(name: name, type: .int64, typeName: "INTEGER")
            case SQLITE_FLOAT: return SQLColumn(name: name, type: .float64, typeName: "REAL")
            case SQLITE_BLOB: return SQLColumn(name: name, type: .bytes, typeName: "BLOB")
            default: return SQLColumn(name: name, type: .string, typeName: "TEXT")
            }
        }
    }

    /// The type a declared column type means.
    static func type(declared: String) -> SQLType {
        let upper = declared.uppercased()
        let base = upper.prefix { $0 != "(" }.trimmingCharacters(in: .whitespaces)
        switch base {
        case "BOOLEAN", "BOOL": return .boolean
        case "TINYINT": return .int8
        case "SMALLINT": return .int16
        case "INT", "MEDIUMINT": return .int32
        case "DATE": return .date
        case "TIME": return .time
        case "DATETIME", "TIMESTAMP": return .timestamp
        case "DECIMAL", "NUMERIC":
            let numbers = upper.drop { $0 != "(" }.dropFirst().prefix { $0 != ")" }.split(separator: ",").compactMap {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
            return .decimal(precision: numbers.first ?? 0, scale: numbers.count > 1 ? numbers[1] : 0)
        default: break
        }
        if upper.contains("INT") { return .int64 }
        if upper.contains("CHAR") || upper.contains("CLOB") || upper.contains("TEXT") { return .string }
        if upper.contains("BLOB") || upper.isEmpty { return .bytes }
        if upper.contains("REAL") || upper.contains("FLOA") || upper.contains("DOUB") { return .float64 }
        return .unsupported
    }
}

/// The current row of a SQLite statement; values point into SQLite's own buffers,
/// valid until the next step.
struct SQLiteRow: SQLRow {
    let statement: OpaquePointer

    func isNull(_ index: Int) -> Bool { sqlite3_column_type(statement, Int32(index)) == SQLITE_NULL }

    func bytes(_ index: Int) -> UnsafeRawBufferPointer? {
        let column = Int32(index)
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL: return nil
        case SQLITE_BLOB:
            let start = sqlite3_column_blob(statement, column)
            return UnsafeRawBufferPointer(start: start, count: Int(sqlite3_column_bytes(statement, column)))
        default:
            let start = sqlite3_column_text(statement, column)
            return UnsafeRawBufferPointer(start: start, count: Int(sqlite3_column_bytes(statement, column)))
        }
    }
}
