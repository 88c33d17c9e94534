import CPostgres

/// A connection to PostgreSQL through libpq.
///
/// The session runs in UTC (`TimeZone=UTC`) with ISO dates, hex `bytea` and standard
/// conforming strings, so the
/// text libpq hands back is what ``SQLRow`` promises: timestamps `YYYY-MM-DD HH:MM:SS.ffffff`
/// (with a `+00` offset for `timestamptz`, which ``SQLTimestamp`` honours), booleans `t`/`f`,
/// and `bytea` decoded to its raw bytes.
///
/// ```swift
/// let db = try PostgresDatabase(
///     url: JdbcURL("jdbc:postgresql://db.example:5432/shop?sslmode=require"),
///     user: "sluice", password: secret, connectTimeoutSeconds: 10)
/// try db.query("SELECT id, name FROM items WHERE id > $1 ORDER BY id", parameters: [.int64(41)], fetchSize: 1000,
///              columns: { print($0) }, row: { row in handle(row); return true })
/// ```
///
/// Queries stream through `COPY (query) TO STDOUT` in text form, read a row at a time
/// (``PostgresCopyRow``), so only the socket buffers and one row are in memory.
public final class PostgresDatabase: SQLDatabase {
    public let dialect = SQLDialect(name: "PostgreSQL", quote: "\"", numberedPlaceholders: true)

    /// The libpq connection; nil once closed. Owned: finished exactly once, by ``close()``.
    private(set) var connection: OpaquePointer?
    /// The stream whose COPY the connection is in, if any; any other call ends it first.
    private weak var activeStream: PostgresCopyStream?
    /// `user@host:port/database`, for messages (never the password).
    private let target: String
    /// `pg_type.typname` of the result types this connection has met that Sluice does not map.
    private var typeNames: [Oid: String] = [:]

    /// Connects to the database `url` names.
    ///
    /// `user` and `password` win over the URL's `user=`/`password=`. The session gets
    /// `application_name=sluice` (or the URL's `ApplicationName`) and UTC. URL parameters
    /// libpq understands (`sslmode`, `sslrootcert`, `sslcert`, `sslkey`, `sslpassword`,
    /// `channel_binding`, `gssencmode`, `target_session_attrs`, `keepalives*`) pass through,
    /// as do pgjdbc's `ssl=true` (as `sslmode=verify-full`), `currentSchema`, `options` and
    /// `tcpKeepAlive`; other JDBC-only parameters are ignored.
    /// - Parameter connectTimeoutSeconds: libpq's `connect_timeout`; 0 or less waits forever.
    /// - Throws: ``SQLError/connection(database:target:reason:)`` with libpq's reason.
    public init(url: JdbcURL, user: String?, password: String?, connectTimeoutSeconds: Int) throws {
        let user = user ?? url.user
        let password = password ?? url.password
        target = (user.map { $0 + "@" } ?? "") + url.target
        let settings = Self.connectionSettings(url: url, user: user, password: password, timeout: connectTimeoutSeconds)
        let connection = withCStrings(settings.map(\.0)) { keywords in
            withCStrings(settings.map(\.1)) { values in PQconnectdbParams(keywords, values, 0) }
        }
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            var reason = connection.map { Self.trimmed(PQerrorMessage($0)) } ?? "libpq could not allocate a connection"
            if let password, !password.isEmpty { reason = reason.replacing(password, with: "***") }
            PQfinish(connection)
            throw SQLError.connection(database: "PostgreSQL", target: target, reason: reason)
        }
        self.connection = connection
    }

    deinit { close() }

    /// The libpq keywords and values for `url`.
    private static func connectionSettings(
        url: JdbcURL, user: String?, password: String?, timeout: Int
    ) -> [(String, String)] {
        let p = url.parameters
        var options = "-c TimeZone=UTC -c DateStyle=ISO -c IntervalStyle=postgres -c bytea_output=hex -c standard_conforming_strings=on"
        if let schema = p["currentSchema"] { options += " -c search_path=" + escapedOption(schema) }
        if let extra = p["options"] { options += " " + extra }
        var settings: [(String, String)] = [
            ("host", url.host), ("port", String(url.port)), ("client_encoding", "UTF8"), ("options", options),
            ("application_name", p["ApplicationName"] ?? p["application_name"] ?? "sluice"),
        ]
        if !url.database.isEmpty { settings.append(("dbname", url.database)) }
        if let user { settings.append(("user", user)) }
        if let password { settings.append(("password", password)) }
        if timeout > 0 { settings.append(("connect_timeout", String(timeout))) }
        for name in passedThrough { if let value = p[name] { settings.append((name, value)) } }
        if p["sslmode"] == nil, p["ssl"] == "true" { settings.append(("sslmode", "verify-full")) }
        if p["keepalives"] == nil, let keepAlive = p["tcpKeepAlive"] {
            settings.append(("keepalives", keepAlive == "true" ? "1" : "0"))
        }
        return settings
    }

    /// URL parameters that mean the same to pgjdbc and libpq.
    private static let passedThrough = [
        "sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword", "sslcrl", "channel_binding", "gssencmode",
        "target_session_attrs", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
    ]

    /// `value` as one word of libpq's `options` (spaces and backslashes escaped).
    private static func escapedOption(_ value: String) -> String {
        var result = ""
        for character in value {
            if character == " " || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result
    }

    // MARK: Catalog

    public func tables(types: Set<String>) throws -> [SQLTableName] {
        let tableTypes = types.compactMap {
            ["TABLE": "'BASE TABLE'", "VIEW": "'VIEW'", "FOREIGN TABLE": "'FOREIGN'"][$0]
        }
        guard !tableTypes.isEmpty else { return [] }
        let sql = """
            SELECT current_database(), table_schema, table_name FROM information_schema.tables
            WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_toast%'
            AND table_type IN (\(tableTypes.sorted().joined(separator: ", ")))
            """
        return try rows(sql).map { SQLTableName(catalog: $0[0], schema: $0[1], name: $0[2] ?? "") }.sorted()
    }

    /// Describes `table`; a table without a schema is looked up in `current_schema()`.
    public func describe(_ table: SQLTableName) throws -> SQLTableDescription {
        let columns = try rows(
            """
            SELECT column_name, is_nullable, column_default, is_identity FROM information_schema.columns
            WHERE table_schema = COALESCE($1, current_schema()) AND table_name = $2 ORDER BY ordinal_position
            """, [table.schema, table.name])
        guard !columns.isEmpty else { throw SQLError.noSuchTable(table.description) }
        let primaryKey = try rows(
            """
            SELECT a.attname FROM pg_catalog.pg_constraint c
            JOIN pg_catalog.pg_class t ON t.oid = c.conrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
            CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, position)
            JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
            WHERE c.contype = 'p' AND n.nspname = COALESCE($1, current_schema()) AND t.relname = $2
            ORDER BY k.position
            """, [table.schema, table.name])
        let autoIncrement = columns.first { $0[2]?.hasPrefix("nextval(") == true || $0[3] == "YES" }
        return SQLTableDescription(
            columns: columns.map { $0[0] ?? "" },
            notNull: Set(columns.filter { $0[1] == "NO" }.map { $0[0] ?? "" }),
            autoIncrement: autoIncrement.flatMap { $0[0] },
            primaryKey: primaryKey.map { $0[0] ?? "" })
    }

    public func now() throws -> SQLTimestamp {
        let sql = "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
        guard let text = try rows(sql).first?.first ?? nil, let now = SQLTimestamp(text) else {
            throw SQLError.query(database: dialect.name, sql: sql, reason: "the server's clock is not a timestamp")
        }
        return now
    }

    // MARK: Statements

    /// Streams `sql`'s rows with `COPY (sql) TO STDOUT` (``PostgresCopyStream``): the server
    /// sends every row as soon as it has it and TCP's flow control holds it back while the caller is busy, so the
    /// server and the caller work at the same time and only the socket buffers and one row
    /// are ever in memory (`fetchSize` does not matter here). Kept open across
    /// a task's polls, the stream lets the server run ahead while the task encodes and
    /// hands off a batch. A server-side cursor read a page per round trip and ran at
    /// 0.43×, with the next FETCH kept in flight at 0.65×, `psql \copy` (see
    /// `docs/sql-source.md`).
    ///
    /// The statement is first prepared (unnamed) and described, for the result's columns;
    /// COPY takes no parameters, so `parameters` are then written into it as literals
    /// (``PostgresInlinedStatement``). Outside a transaction the COPY is its own; inside the
    /// caller's it runs there. When the stream is closed before its rows ended, the rest
    /// of the rows are dropped: rows already received are read and discarded, and if more
    /// are still on their way the statement is cancelled (`PQcancel`) so the server stops sending. Inside
    /// the caller's transaction nothing is cancelled (that would abort the transaction):
    /// the remaining rows are read and discarded.
    ///
    /// Result columns map by type OID; `numeric` without a declared precision (typmod -1)
    /// maps to `.decimal(precision: 0, scale: 0)`, as pgjdbc reports it; types without a
    /// mapping are `.unsupported`, named by `pg_type.typname` (`point`, `_int4`, ...).
    /// Every result column is reported nullable.
    public func stream(_ sql: String, parameters: [SQLParameter], fetchSize: Int) throws -> any SQLRowStream {
        let connection = try open()
        let ownsTransaction = PQtransactionStatus(connection) == PQTRANS_IDLE
        var statement = Substring(sql)
        while let last = statement.last, last == ";" || last.isWhitespace { statement.removeLast() }
        let resultColumns = try describe(String(statement), parameterCount: parameters.count, reportedAs: sql)
        let copy = "COPY (\(try PostgresInlinedStatement.text(String(statement), values: parameters.map(Self.text)))) TO STDOUT"
        try send(copy, reportedAs: sql)
        let started = PostgresResult(handle: try nextResult(reportedAs: sql))
        guard PQresultStatus(started.handle) == PGRES_COPY_OUT else {
            let reason = Self.reason(started.handle, connection)
            discardResults(connection)
            throw SQLError.query(database: dialect.name, sql: sql, reason: reason)
        }
        let stream = PostgresCopyStream(database: self, sql: sql, columns: resultColumns, cancelling: ownsTransaction)
        activeStream = stream
        return stream
    }

    /// Takes the result that ends `stream`'s COPY, after its last row: the connection is
    /// free again. - Throws: the statement's error when it failed after its last row.
    func finish(_ stream: PostgresCopyStream) throws {
        guard activeStream === stream else { return }
        activeStream = nil
        _ = try receive(reportedAs: stream.sql)
    }

    /// Drops the rest of `stream`'s COPY when the connection is still in it
    /// (``abandonCopy(_:cancelling:)``).
    func abandon(_ stream: PostgresCopyStream) {
        guard activeStream === stream else { return }
        activeStream = nil
        if let connection { abandonCopy(connection, cancelling: stream.cancelling) }
    }

    /// Frees the connection of `stream`'s COPY when it is still the connection's: once
    /// its rows ended (`abandoning` false), or dropping the rest (true; see ``abandonCopy(_:cancelling:)``).
    func detach(_ stream: PostgresCopyStream, abandoning: Bool) {
        guard activeStream === stream else { return }
        activeStream = nil
        if abandoning, let connection { abandonCopy(connection, cancelling: stream.cancelling) }
    }

    /// The result columns of `sql`, prepared as the unnamed statement and described.
    private func describe(_ sql: String, parameterCount: Int, reportedAs: String) throws -> [SQLColumn] {
        let connection = try open()
        _ = try checked(PQprepare(connection, "", sql, Int32(parameterCount), nil), connection, reportedAs: reportedAs)
        let description = try checked(PQdescribePrepared(connection, ""), connection, reportedAs: reportedAs)
        return try self.columns(of: description.handle, sql: reportedAs)
    }

    /// `handle`, a statement's result, owned; or its error (libpq's when there is no result).
    private func checked(_ handle: OpaquePointer?, _ connection: OpaquePointer, reportedAs: String) throws -> PostgresResult {
        guard let handle else {
            throw SQLError.query(
                database: dialect.name, sql: reportedAs, reason: Self.trimmed(PQerrorMessage(connection)))
        }
        let result = PostgresResult(handle: handle)
        let status = PQresultStatus(handle)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY else {
            throw SQLError.query(database: dialect.name, sql: reportedAs, reason: Self.reason(handle, connection))
        }
        return result
    }

    /// Ends a COPY whose rows are no longer wanted, leaving the connection ready: rows
    /// already received are dropped; when more are still to come, the server is asked to
    /// cancel (when `cancelling`: not inside the caller's transaction, which a cancel
    /// would abort) and the rest is drained. Errors are
    /// ignored: the reason the COPY was abandoned is the one to report.
    private func abandonCopy(_ connection: OpaquePointer, cancelling: Bool) {
        var cancelled = !cancelling
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            var count = PQgetCopyData(connection, &buffer, 1)
            if count == 0 {
                // Nothing buffered: pull in what the socket holds, then cancel if still unfinished.
                _ = PQconsumeInput(connection)
                count = PQgetCopyData(connection, &buffer, 1)
                if count == 0 && !cancelled {
                    cancelled = true
                    if let cancel = PQgetCancel(connection) {
                        var error = [CChar](repeating: 0, count: 256)
                        _ = PQcancel(cancel, &error, Int32(error.count))
                        PQfreeCancel(cancel)
                    }
                }
                if count == 0 { count = PQgetCopyData(connection, &buffer, 0) }
            }
            if let buffer { PQfreemem(buffer) }
            if count < 0 { break }
        }
        discardResults(connection)
    }

    /// libpq's connection status: it turns bad once the server is gone.
    public var isConnected: Bool { connection.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// Reads see a snapshot and take no locks that writers wait for (MVCC); an open
    /// COPY does hold back vacuum's cleanup of rows deleted after it started.
    public var readsBlockWriters: Bool { false }

    public func execute(_ sql: String) throws {
        _ = try run(sql, reportedAs: sql)
    }

    /// Closes the connection (`PQfinish`), ending an open stream; safe to call more than once.
    public func close() {
        let stream = activeStream
        activeStream = nil
        stream?.close()
        PQfinish(connection)
        connection = nil
    }

    // MARK: libpq plumbing

    /// The open connection, free for a statement (an open stream is ended first), or
    /// the error every call on a closed one gets.
    private func open() throws -> OpaquePointer {
        activeStream?.close()
        guard let connection else {
            throw SQLError.connection(database: dialect.name, target: target, reason: "the connection is closed")
        }
        return connection
    }

    /// Runs `sql` (several statements allowed when `parameters` is nil; exactly one, with
    /// its placeholders bound as text, otherwise).
    /// - Throws: ``SQLError/query(database:sql:reason:)`` naming `reportedAs`.
    private func run(_ sql: String, parameters: [String?]? = nil, reportedAs: String) throws -> PostgresResult {
        let connection = try open()
        let handle =
            if let parameters {
                withCStrings(parameters) {
                    PQexecParams(connection, sql, Int32(parameters.count), nil, $0, nil, nil, 0)
                }
            } else {
                PQexec(connection, sql)
            }
        return try checked(handle, connection, reportedAs: reportedAs)
    }

    /// Sends `sql` (no parameters) without waiting for its result; ``receive(reportedAs:)`` gets it.
    private func send(_ sql: String, reportedAs: String) throws {
        let connection = try open()
        guard PQsendQuery(connection, sql) == 1 else {
            throw SQLError.query(
                database: dialect.name, sql: reportedAs, reason: Self.trimmed(PQerrorMessage(connection)))
        }
    }

    /// The result of the one statement ``send(_:reportedAs:)`` sent, after which the
    /// connection is ready for the next.
    private func receive(reportedAs: String) throws -> PostgresResult {
        let connection = try open()
        let handle = PQgetResult(connection)
        if handle != nil { discardResults(connection) }
        return try checked(handle, connection, reportedAs: reportedAs)
    }

    /// The next result of a sent statement, not yet checked (a COPY's first is `PGRES_COPY_OUT`).
    private func nextResult(reportedAs: String) throws -> OpaquePointer {
        let connection = try open()
        guard let handle = PQgetResult(connection) else {
            throw SQLError.query(
                database: dialect.name, sql: reportedAs, reason: Self.trimmed(PQerrorMessage(connection)))
        }
        return handle
    }

    /// Reads and drops what is left of a sent statement's results, up to the NULL that ends them.
    private func discardResults(_ connection: OpaquePointer) {
        while let rest = PQgetResult(connection) { PQclear(rest) }
    }

    /// All rows of a small catalog query, as text.
    private func rows(_ sql: String, _ parameters: [String?] = []) throws -> [[String?]] {
        let result = try run(sql, parameters: parameters, reportedAs: sql)
        let (rowCount, columnCount) = (PQntuples(result.handle), PQnfields(result.handle))
        return (0..<rowCount).map { row in
            (0..<columnCount).map { column in
                PQgetisnull(result.handle, row, column) != 0
                    ? nil : String(cString: PQgetvalue(result.handle, row, column))
            }
        }
    }

    /// The columns a described statement returns.
    private func columns(of result: OpaquePointer, sql: String) throws -> [SQLColumn] {
        try (0..<PQnfields(result)).map { index in
            let name = String(cString: PQfname(result, index))
            let oid = PQftype(result, index)
            if let (type, typeName) = Self.mapping(oid: oid, modifier: PQfmod(result, index)) {
                return SQLColumn(name: name, type: type, typeName: typeName)
            }
            return SQLColumn(name: name, type: .unsupported, typeName: try typeName(oid, sql: sql))
        }
    }

    /// `pg_type.typname` of `oid`, looked up once per connection.
    private func typeName(_ oid: Oid, sql: String) throws -> String {
        if let known = typeNames[oid] { return known }
        let result = try run(
            "SELECT typname FROM pg_catalog.pg_type WHERE oid = $1", parameters: [String(oid)], reportedAs: sql)
        let name = PQntuples(result.handle) > 0 ? String(cString: PQgetvalue(result.handle, 0, 0)) : "oid \(oid)"
        typeNames[oid] = name
        return name
    }

    /// Sluice's type and the type's `typname` for the built-in types it maps.
    private static func mapping(oid: Oid, modifier: Int32) -> (SQLType, String)? {
        switch oid {
        case 16: (.boolean, "bool")
        case 21: (.int16, "int2")
        case 23: (.int32, "int4")
        case 20: (.int64, "int8")
        case 700: (.float32, "float4")
        case 701: (.float64, "float8")
        case 1700: (numeric(modifier: modifier), "numeric")
        case 25: (.string, "text")
        case 1043: (.string, "varchar")
        case 1042: (.string, "bpchar")
        case 18: (.string, "char")
        case 19: (.string, "name")
        case 2950: (.string, "uuid")
        case 114: (.string, "json")
        case 3802: (.string, "jsonb")
        case 17: (.bytes, "bytea")
        case 1082: (.date, "date")
        case 1083: (.time, "time")
        case 1114: (.timestamp, "timestamp")
        case 1184: (.timestamp, "timestamptz")
        default: nil
        }
    }

    /// `numeric`'s precision and scale from its typmod, `((precision << 16) | (scale & 0x7ff)) + 4`
    /// (the scale is 11-bit signed since PostgreSQL 15: `numeric(5,-2)`); an unconstrained
    /// `numeric` (typmod -1) is precision 0, scale 0, as pgjdbc reports it.
    private static func numeric(modifier: Int32) -> SQLType {
        guard modifier >= 4 else { return .decimal(precision: 0, scale: 0) }
        let packed = Int(modifier - 4)
        return .decimal(precision: packed >> 16 & 0xffff, scale: ((packed & 0x7ff) ^ 1024) - 1024)
    }

    /// A parameter as the text PostgreSQL reads for it (timestamps in UTC, the session's zone).
    private static func text(_ parameter: SQLParameter) -> String {
        switch parameter {
        case .int64(let value): String(value)
        case .text(let value): value
        case .timestamp(let value): value.text(fractionDigits: 6)
        }
    }

    /// The server's primary message and SQLSTATE, or libpq's message when there is none.
    private static func reason(_ result: OpaquePointer, _ connection: OpaquePointer) -> String {
        guard let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))) else {
            let message = trimmed(PQresultErrorMessage(result))
            return message.isEmpty ? trimmed(PQerrorMessage(connection)) : message
        }
        let code = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { " (SQLSTATE \(String(cString: $0)))" }
        return String(cString: primary) + (code ?? "")
    }

    /// A libpq message without its trailing newline.
    static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "" }
        var text = Substring(String(cString: message))
        while text.last?.isWhitespace == true { text.removeLast() }
        while text.first?.isWhitespace == true { text.removeFirst() }
        return String(text)
    }
}

/// Owns one `PGresult`: cleared exactly once, when this value ends. Pointers read from
/// it (`PQgetvalue`, `PQfname`) are valid only while it lives.
private struct PostgresResult: ~Copyable {
    let handle: OpaquePointer
    deinit { PQclear(handle) }
}

/// Calls `body` with a NULL-terminated array of C strings for `strings` (nil stays NULL);
/// the pointers point into one buffer that lives only for the call.
private func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) throws -> R) rethrows -> R {
    var storage: [CChar] = []
    let offsets = strings.map { string in
        string.map { string in
            defer { storage.append(contentsOf: string.utf8CString) }
            return storage.count
        }
    }
    return try storage.withUnsafeBufferPointer { buffer in
        try body(offsets.map { $0.map { buffer.baseAddress! + $0 } } + [nil])
    }
}
