/// The rows of one query, read over as many calls as the caller likes: what a JDBC
/// `ResultSet` is to the JDBC source connector, which keeps one open across polls.
/// A SQL source task reads a page of rows per poll from the same stream, so the
/// server is not asked (and does not plan and start) a new query for every page.
///
/// ```swift
/// let rows = try db.stream("SELECT * FROM items WHERE id > $1 ORDER BY id", parameters: [.int64(0)], fetchSize: 1000)
/// defer { rows.close() }
/// var page = 0
/// while try rows.read({ row in page += 1; return page % 1000 != 0 }) {
///     flushPage()  // the row the callback refused comes first in the next read
/// }
/// ```
///
/// A stream holds its connection: the connection runs nothing else while the stream
/// is open. Any other call on that ``SQLDatabase`` (a query, ``SQLDatabase/now()``,
/// another stream, ``SQLDatabase/close()``) ends the stream first, dropping its rest,
/// and the stream's next ``read(_:)`` throws.
public protocol SQLRowStream: AnyObject {
    /// The result's columns, as the query described them.
    var columns: [SQLColumn] { get }
    /// Calls `row` with each row in turn until it returns false or the rows end. A row
    /// for which `row` returned false is not consumed: the next `read` starts with it
    /// again (a row that did not fit into a full batch goes into the next one). After
    /// `row` throws, the stream should be closed.
    /// - Returns: true while rows may remain; false once the result has ended (the
    ///   statement finished without error, and the connection is free again).
    /// - Throws: ``SQLError`` when the statement fails, the connection is lost, or the
    ///   stream was ended by another call on its connection; and what `row` throws.
    func read(_ row: (any SQLRow) throws -> Bool) throws -> Bool
    /// Drops the rows not yet read (stopping the server from sending them where the
    /// protocol allows) and frees the connection for other statements. Safe to call
    /// more than once, and after the rows ended.
    func close()
}

extension SQLDatabase {
    /// Runs `sql` with `parameters` bound to its placeholders (written with
    /// ``SQLDialect/placeholder(_:)``), calls `columns` once with the result's columns,
    /// then `row` for each row (never the whole result in memory). `row` returns false
    /// to stop early; the rest of the rows are dropped.
    public func query(
        _ sql: String, parameters: [SQLParameter], fetchSize: Int,
        columns: ([SQLColumn]) throws -> Void, row: (any SQLRow) throws -> Bool
    ) throws {
        let rows = try stream(sql, parameters: parameters, fetchSize: fetchSize)
        defer { rows.close() }
        try columns(rows.columns)
        _ = try rows.read(row)
    }
}

/// Where a backend's ``SQLRowStream`` stands.
enum SQLRowStreamState {
    /// The statement is being read; the connection is in it.
    case open
    /// Every row was read and the statement ended without error.
    case ended
    /// Closed before its end, by the caller or by another call on the connection.
    case closed

    /// Whether a read may go on (false once the rows ended).
    /// - Throws: ``SQLError/query(database:sql:reason:)`` once the stream was closed.
    func readable(database: String, sql: String) throws -> Bool {
        switch self {
        case .open: return true
        case .ended: return false
        case .closed:
            throw SQLError.query(
                database: database, sql: sql,
                reason: "the rows were dropped before they were read: the stream was closed, or another statement ran on its connection")
        }
    }
}
