import CSQLite

/// The rows of one SQLite statement, stepped over as many calls as the caller likes
/// (``SQLRowStream``).
///
/// Ownership: the stream owns `statement` (from `sqlite3_prepare_v2`) and finalizes it
/// exactly once, when the rows end or in ``close()``. While it is open, SQLite holds
/// the read transaction the statement started (in rollback-journal mode, a writer in
/// another connection waits for it), so a caller should not keep one open longer than
/// it needs.
final class SQLiteRowStream: SQLRowStream {
    let columns: [SQLColumn]
    private let sql: String
    private let connection: OpaquePointer
    private var statement: OpaquePointer?
    /// Whether the statement stands on a row not yet consumed.
    private var pending = false
    private var state = SQLRowStreamState.open

    /// Takes `statement` (prepared and bound) and steps to its first row, which
    /// types expression columns by their values.
    /// - Throws: ``SQLError/query(database:sql:reason:)`` with SQLite's message; the statement is finalized.
    init(statement: OpaquePointer, connection: OpaquePointer, sql: String) throws {
        self.statement = statement
        self.connection = connection
        self.sql = sql
        let code = sqlite3_step(statement)
        guard code == SQLITE_ROW || code == SQLITE_DONE else {
            let reason = String(cString: sqlite3_errmsg(connection))
            sqlite3_finalize(statement)
            self.statement = nil
            columns = []
            throw SQLError.query(database: "SQLite", sql: sql, reason: reason)
        }
        columns = SQLiteDatabase.columns(of: statement)
        pending = code == SQLITE_ROW
        if !pending { finalize(.ended) }
    }

    deinit { close() }

    func read(_ consume: (any SQLRow) throws -> Bool) throws -> Bool {
        guard try state.readable(database: "SQLite", sql: sql) else { return false }
        guard let statement else { return false }
        let row = SQLiteRow(statement: statement)
        while true {
            if pending {
                guard try consume(row) else { return true }
                pending = false
            }
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE {
                finalize(.ended)
                return false
            }
            guard code == SQLITE_ROW else {
                throw SQLError.query(database: "SQLite", sql: sql, reason: String(cString: sqlite3_errmsg(connection)))
            }
            pending = true
        }
    }

    func close() {
        guard state == .open else { return }
        finalize(.closed)
    }

    private func finalize(_ end: SQLRowStreamState) {
        sqlite3_finalize(statement)
        statement = nil
        state = end
    }
}
