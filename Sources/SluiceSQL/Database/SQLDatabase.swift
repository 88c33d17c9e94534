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
    /// Runs `sql` with `parameters` bound to its placeholders (written with
    /// ``SQLDialect/placeholder(_:)``), calls `columns` once with the result's columns,
    /// then `row` for each row, fetching at most `fetchSize` rows at a time (never the
    /// whole result in memory). `row` returns false to stop early.
    func query(
        _ sql: String, parameters: [SQLParameter], fetchSize: Int,
        columns: ([SQLColumn]) throws -> Void, row: (any SQLRow) throws -> Bool
    ) throws
    /// Whether the connection to the server still works. Asked after a statement
    /// failed, to tell a lost connection (open a new one) from a mistake in the
    /// statement or the data (report it).
    var isConnected: Bool { get }
    /// Runs a statement that returns no rows (tests and setup).
    func execute(_ sql: String) throws
    /// Closes the connection; later calls fail.
    func close()
}
