import CPostgres

/// The rows of one `COPY (query) TO STDOUT` on a ``PostgresDatabase``, read over as
/// many calls as the caller likes (``SQLRowStream``).
///
/// Ownership: the stream keeps its database (and so the connection) alive. `held` is
/// the current row's buffer from `PQgetCopyData`, owned by the stream and freed with
/// `PQfreemem` exactly once: when the row is consumed, or by ``close()``. ``row``
/// points into it, so a row the caller refused stays valid until the next read.
final class PostgresCopyStream: SQLRowStream {
    let columns: [SQLColumn]
    /// The statement as the caller wrote it, for errors.
    let sql: String
    /// Whether an abandoned COPY may be cancelled (false inside the caller's transaction).
    let cancelling: Bool
    private let database: PostgresDatabase
    private let row: PostgresCopyRow
    private var held: UnsafeMutablePointer<CChar>?
    private var state = SQLRowStreamState.open

    init(database: PostgresDatabase, sql: String, columns: [SQLColumn], cancelling: Bool) {
        self.database = database
        self.sql = sql
        self.columns = columns
        self.cancelling = cancelling
        row = PostgresCopyRow(byteaColumns: columns.map { $0.type == .bytes })
    }

    deinit { close() }

    func read(_ consume: (any SQLRow) throws -> Bool) throws -> Bool {
        guard try state.readable(database: database.dialect.name, sql: sql) else { return false }
        guard let connection = database.connection else {
            throw SQLError.query(database: database.dialect.name, sql: sql, reason: "the connection is closed")
        }
        if held != nil {
            guard try consume(row) else { return true }
            release()
        }
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let count = PQgetCopyData(connection, &buffer, 0)
            guard count > 0, let buffer else {
                guard count == -1 else {  // -2: the connection failed
                    throw SQLError.query(database: database.dialect.name, sql: sql, reason: PostgresDatabase.trimmed(PQerrorMessage(connection)))
                }
                state = .ended
                try database.finish(self)  // COPY's own result: its error if it failed late
                return false
            }
            held = buffer
            let bytes = UnsafeMutableRawPointer(buffer).assumingMemoryBound(to: UInt8.self)
            guard row.parse(bytes, count: Int(count)) else {
                throw SQLError.query(
                    database: database.dialect.name, sql: sql,
                    reason: "a COPY row does not hold the \(columns.count) columns the statement was described with")
            }
            guard try consume(row) else { return true }
            release()
        }
    }

    func close() {
        release()
        guard state == .open else { return }
        state = .closed
        database.abandon(self)
    }

    /// Frees the current row's buffer.
    private func release() {
        PQfreemem(held)
        held = nil
    }
}
