/// Why the SQL source could not do something; every message names what is wrong
/// and never includes a password.
public enum SQLError: Error, Equatable, CustomStringConvertible {
    /// A `connection.url` Sluice cannot use.
    case badURL(String)
    /// The database refused or could not be reached.
    case connection(database: String, target: String, reason: String)
    /// A query failed.
    case query(database: String, sql: String, reason: String)
    /// A table that does not exist.
    case noSuchTable(String)
    /// A column that does not exist or cannot be used as asked.
    case badColumn(table: String, column: String, reason: String)
    /// A column type with no Kafka Connect mapping.
    case unmappedType(table: String, column: String, type: String)
    /// A value that cannot be read as its column's type.
    case badValue(table: String, column: String, reason: String)

    public var description: String {
        switch self {
        case .badURL(let reason): reason
        case .connection(let database, let target, let reason): "cannot connect to \(database) at \(target): \(reason)"
        case .query(let database, let sql, let reason): "\(database) query failed: \(reason) (query: \(sql))"
        case .noSuchTable(let table): "table \(table) does not exist"
        case .badColumn(let table, let column, let reason): "table \(table), column \(column): \(reason)"
        case .unmappedType(let table, let column, let type):
            "table \(table), column \(column): type \(type) has no Kafka Connect mapping"
        case .badValue(let table, let column, let reason): "table \(table), column \(column): \(reason)"
        }
    }
}
