import CMariaDB

/// `mysql_library_init` must run once before connections are opened from several
/// threads (`mysql_init` would otherwise run it unsynchronised); a global's lazy
/// initialisation runs exactly once, under a lock.
private let mariaDBLibraryStatus: Int32 = mysql_server_init(0, nil, nil)

/// A connection to MySQL or MariaDB through libmariadb (MariaDB Connector/C), as
/// `jdbc:mysql://` and `jdbc:mariadb://` URLs name it.
///
/// The connection always uses TCP (`localhost` means 127.0.0.1, as with JDBC), the
/// `utf8mb4` character set and the session time zone `+00:00`, so DATETIME and
/// TIMESTAMP values are read and compared as UTC text.
///
/// ```swift
/// let url = try JdbcURL("jdbc:mysql://db.example:3306/shop")
/// let db = try MariaDBDatabase(url: url, user: "sluice", password: secret, connectTimeoutSeconds: 10)
/// try db.query("SELECT id, name FROM orders WHERE id > ?", parameters: [.int64(41)], fetchSize: 1000,
///     columns: { print($0) }, row: { row in handle(row); return true })
/// ```
///
/// Ownership: the object owns `connection` (from `mysql_init`) and closes it once,
/// in ``close()`` or `deinit`. Like every ``SQLDatabase`` it is used by one thread
/// at a time.
public final class MariaDBDatabase: SQLDatabase {
    /// Backquoted identifiers, `?` placeholders, timestamps compared as they are.
    public let dialect = SQLDialect(name: "MariaDB", quote: "`", numberedPlaceholders: false)

    private var connection: UnsafeMutablePointer<MYSQL>?
    /// `user@host:port/database` (without `user@` when there is none), for messages.
    private let target: String
    /// Removed from any message libmariadb writes, in case it ever quotes it.
    private let password: String?
    /// The stream last started, ended before any other statement (the protocol runs one at a time).
    private weak var activeStream: MariaDBRowStream?

    /// Connects to the database `url` names as `user` (the URL's `user` parameter
    /// when nil) with `password` (likewise).
    /// - Throws: ``SQLError/connection(database:target:reason:)`` naming the user,
    ///   host, port and database, never the password.
    public init(url: JdbcURL, user: String?, password: String?, connectTimeoutSeconds: Int) throws {
        let user = user ?? url.user
        let password = password ?? url.password
        self.password = password
        target = (user.map { $0 + "@" } ?? "") + url.target
        guard url.kind == .mariadb else {
            throw SQLError.badURL(
                "MariaDBDatabase needs a jdbc:mysql:// or jdbc:mariadb:// URL, not a \(url.kind.rawValue) one")
        }
        guard mariaDBLibraryStatus == 0 else {
            throw SQLError.connection(
                database: "MariaDB", target: target, reason: "libmariadb could not be initialised")
        }
        guard let handle = mysql_init(nil) else {
            throw SQLError.connection(
                database: "MariaDB", target: target, reason: "libmariadb could not allocate a connection")
        }
        var timeout = UInt32(clamping: max(connectTimeoutSeconds, 1))
        var tcp = MYSQL_PROTOCOL_TCP.rawValue
        var reportTruncation: my_bool = 1
        mysql_options(handle, MYSQL_OPT_CONNECT_TIMEOUT, &timeout)
        mysql_options(handle, MYSQL_OPT_PROTOCOL, &tcp)
        mysql_options(handle, MYSQL_REPORT_DATA_TRUNCATION, &reportTruncation)
        mysql_options(handle, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        mysql_options(handle, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00', net_write_timeout = 600")
        let host = url.host == "localhost" ? "127.0.0.1" : url.host
        let database = url.database.isEmpty ? nil : url.database
        guard mysql_real_connect(handle, host, user, password, database, UInt32(url.port), nil, 0) != nil else {
            let reason = String(cString: mysql_error(handle))
            mysql_close(handle)
            throw SQLError.connection(
                database: "MariaDB", target: target, reason: Self.withoutPassword(reason, password))
        }
        connection = handle
    }

    deinit { close() }

    public func tables(types: Set<String>) throws -> [SQLTableName] {
        let tableTypes = types.compactMap { ["TABLE": "BASE TABLE", "VIEW": "VIEW"][$0.uppercased()] }.sorted()
        guard !tableTypes.isEmpty else { return [] }
        let placeholders = tableTypes.map { _ in "?" }.joined(separator: ", ")
        let rows = try strings(
            "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE IN (\(placeholders))",
            tableTypes.map { .text($0) })
        return rows.map { SQLTableName(catalog: $0[0], name: $0[1] ?? "") }.sorted()
    }

    public func describe(_ table: SQLTableName) throws -> SQLTableDescription {
        // The table's database, or the connection's when the name has none.
        let schema = table.catalog == nil ? "DATABASE()" : "?"
        let parameters: [SQLParameter] = (table.catalog.map { [.text($0)] } ?? []) + [.text(table.name)]
        let columns = try strings(
            "SELECT COLUMN_NAME, IS_NULLABLE, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = \(schema) AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
            parameters)
        guard !columns.isEmpty else { throw SQLError.noSuchTable(table.description) }
        let key = try strings(
            "SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = \(schema) AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION",
            parameters)
        return SQLTableDescription(
            columns: columns.map { $0[0] ?? "" },
            notNull: Set(columns.filter { $0[1] == "NO" }.map { $0[0] ?? "" }),
            autoIncrement: columns.first { ($0[2] ?? "").lowercased().contains("auto_increment") }.map { $0[0] ?? "" },
            primaryKey: key.map { $0[0] ?? "" })
    }

    public func now() throws -> SQLTimestamp {
        let sql = "SELECT UTC_TIMESTAMP(6)"
        var now: SQLTimestamp?
        try query(
            sql, parameters: [], fetchSize: 1, columns: { _ in },
            row: { row in
                now = row.bytes(0).flatMap { SQLTimestamp(text: $0) }
                return false
            })
        guard let now else {
            throw SQLError.query(database: "MariaDB", sql: sql, reason: "the server returned no readable time")
        }
        return now
    }

    /// Runs `sql` as a prepared statement and streams its rows (``MariaDBRowStream``):
    /// libmariadb reads them off the socket one at a time (unbuffered, never the whole
    /// result), so `fetchSize` needs no setting here. Each column is read as text into a
    /// buffer reused for every row (raw bytes for BLOB, BINARY and BIT columns); a value
    /// longer than its buffer grows it. Closing the stream early reads and drops the rest
    /// of the result so the connection can run the next statement.
    ///
    /// While a stream is held open the server waits on the socket for the client to read;
    /// the session's `net_write_timeout` is raised to 600 s (as MySQL Connector/J does for
    /// streamed results, its `netTimeoutForStreamingResults`) so a task that pauses between
    /// polls is not cut off after the default 60 s.
    public func stream(_ sql: String, parameters: [SQLParameter], fetchSize: Int) throws -> any SQLRowStream {
        let statement = try MariaDBStatement(connection: try open(sql), sql: sql)
        try statement.bind(parameters)
        try statement.execute()
        let stream = MariaDBRowStream(statement: statement, columns: try statement.bindResult())
        activeStream = stream
        return stream
    }

    /// InnoDB's reads see a snapshot and take no locks that writers wait for.
    public var readsBlockWriters: Bool { false }

    public func execute(_ sql: String) throws {
        let connection = try open(sql)
        let failed = Array(sql.utf8CString).withUnsafeBufferPointer {
            mysql_real_query(connection, $0.baseAddress, UInt($0.count - 1)) != 0
        }
        if failed { throw failure(sql) }
        // Drop any rows the statement returned so the connection stays usable.
        if let result = mysql_store_result(connection) {
            mysql_free_result(result)
        } else if mysql_field_count(connection) != 0 {
            throw failure(sql)
        }
    }

    /// Whether the server answers a ping (a round trip; libmariadb does not reconnect).
    public var isConnected: Bool { connection.map { mysql_ping($0) == 0 } ?? false }

    public func close() {
        activeStream?.close()
        guard let connection else { return }
        mysql_close(connection)
        self.connection = nil
    }

    /// The open connection, free for a statement (an open stream is ended first), or
    /// the error a query on a closed one gets.
    private func open(_ sql: String) throws -> UnsafeMutablePointer<MYSQL> {
        activeStream?.close()
        guard let connection else {
            throw SQLError.query(database: "MariaDB", sql: sql, reason: "the connection to \(target) is closed")
        }
        return connection
    }

    private func failure(_ sql: String) -> SQLError {
        let reason = connection.map { String(cString: mysql_error($0)) } ?? "the connection is closed"
        return SQLError.query(database: "MariaDB", sql: sql, reason: Self.withoutPassword(reason, password))
    }

    /// Every row of a small catalog query, as text.
    private func strings(_ sql: String, _ parameters: [SQLParameter]) throws -> [[String?]] {
        var rows: [[String?]] = []
        var width = 0
        try query(
            sql, parameters: parameters, fetchSize: 1000, columns: { width = $0.count },
            row: { row in
                rows.append((0..<width).map { index in row.bytes(index).map { String(decoding: $0, as: UTF8.self) } })
                return true
            })
        return rows
    }

    /// `reason` with every occurrence of `password` masked.
    private static func withoutPassword(_ reason: String, _ password: String?) -> String {
        guard let password, !password.isEmpty else { return reason }
        return reason.replacing(password, with: "****")
    }
}
