/// A connection to one database through its own client library, as the SQL source
/// uses it: the catalog, the current time, and queries whose rows are streamed.
///
/// A connection is used by one thread at a time (a task's, or the connector's).
public protocol SQLDatabase: AnyObject {
    /// How this database writes identifiers, placeholders and timestamps.
    var dialect: SQLDialect { get }
    /// The tables (and views, when `types` names `VIEW`) of the connection's
    /// database, sorted. `types` are JDBC's table types, upper-case (`TABLE`, `VIEW`).
    func tables(types: Set<String>) throws -> [SQLTableName]
    /// What the catalog says about `table`.
    /// - Throws: ``SQLError/noSuchTable(_:)`` when it does not exist.
    func describe(_ table: SQLTableName) throws -> SQLTableDescription
    /// The database's current time, in UTC.
    func now() throws -> SQLTimestamp
    /// Starts `sql` with `parameters` bound to its placeholders (written with
    /// ``SQLDialect/placeholder(_:)``) and returns its rows as a stream read over several
    /// calls, holding at most `fetchSize` rows at a time where the protocol works in
    /// pages (never the whole result in memory). ``query(_:parameters:fetchSize:columns:row:)``
    /// reads one to the end.
    /// - Throws: ``SQLError`` when the statement cannot start (its error, or a lost connection).
    func stream(_ sql: String, parameters: [SQLParameter], fetchSize: Int) throws -> any SQLRowStream
    /// Whether a statement being read keeps other connections from writing (SQLite: its
    /// read lock holds writers off outside WAL mode). A SQL source task then ends each
    /// query with its page instead of keeping it open across polls.
    var readsBlockWriters: Bool { get }
    /// Whether the connection to the server still works. Asked after a statement
    /// failed, to tell a lost connection (open a new one) from a mistake in the
    /// statement or the data (report it).
    var isConnected: Bool { get }
    /// Runs a statement that returns no rows (tests and setup).
    func execute(_ sql: String) throws
    /// Closes the connection; later calls fail.
    func close()
}
