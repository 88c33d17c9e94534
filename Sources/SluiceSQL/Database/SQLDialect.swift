import Foundation

/// How one database writes what the SQL source's queries need.
public struct SQLDialect: Sendable {
    /// The database's name, for messages (`MariaDB`, `PostgreSQL`, `SQLite`).
    public var name: String
    /// The identifier quote character (`"` or a backquote).
    public var quote: Character
    /// Whether placeholders are numbered (`$1`, PostgreSQL) rather than `?`.
    public var numberedPlaceholders: Bool
    /// Wraps a timestamp column (already quoted) so it compares with bound
    /// timestamp text; SQLite stores timestamps as text and needs them normalized.
    public var timestampExpression: @Sendable (String) -> String

    /// A dialect.
    public init(name: String, quote: Character, numberedPlaceholders: Bool, timestampExpression: @escaping @Sendable (String) -> String = { $0 }) {
        self.name = name
        self.quote = quote
        self.numberedPlaceholders = numberedPlaceholders
        self.timestampExpression = timestampExpression
    }

    /// The placeholder of parameter `number` (1-based).
    public func placeholder(_ number: Int) -> String { numberedPlaceholders ? "$\(number)" : "?" }

    /// `identifier` quoted, with the quote character doubled inside it.
    public func quoted(_ identifier: String) -> String {
        let q = String(quote)
        return q + identifier.replacingOccurrences(of: q, with: q + q) + q
    }

    /// `table` as a query names it: quoted parts when `quote` is true.
    public func tableReference(_ table: SQLTableName, quote: Bool) -> String {
        [table.catalog, table.schema, table.name].compactMap { $0 }.map { quote ? quoted($0) : $0 }.joined(separator: ".")
    }
}
