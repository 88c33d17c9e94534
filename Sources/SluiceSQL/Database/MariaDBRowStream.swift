/// The rows of one MariaDB prepared statement, fetched unbuffered over as many calls
/// as the caller likes (``SQLRowStream``).
///
/// Ownership: the stream owns its ``MariaDBStatement`` and closes it exactly once, when
/// the rows end or in ``close()`` (which reads and drops the rows left, as the protocol
/// needs before the connection's next command). The current row lives in the
/// statement's buffers until the next fetch, so a row the caller refused is still there
/// for the next read.
final class MariaDBRowStream: SQLRowStream {
    let columns: [SQLColumn]
    private let statement: MariaDBStatement
    /// Whether the statement's buffers hold a row not yet consumed.
    private var pending = false
    private var state = SQLRowStreamState.open

    /// Takes `statement`, executed and with its result bound (`columns`).
    init(statement: MariaDBStatement, columns: [SQLColumn]) {
        self.statement = statement
        self.columns = columns
    }

    deinit { close() }

    func read(_ consume: (any SQLRow) throws -> Bool) throws -> Bool {
        guard try state.readable(database: "MariaDB", sql: statement.sql) else { return false }
        guard let row = statement.row else {  // a statement without a result set
            end(.ended)
            return false
        }
        while true {
            if pending {
                guard try consume(row) else { return true }
                pending = false
            }
            guard try statement.fetch() else {
                end(.ended)
                return false
            }
            pending = true
        }
    }

    func close() {
        guard state == .open else { return }
        end(.closed)
    }

    private func end(_ end: SQLRowStreamState) {
        statement.close()
        state = end
    }
}
