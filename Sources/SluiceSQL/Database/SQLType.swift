/// A column's type as the SQL source maps it to a Kafka Connect schema type.
public enum SQLType: Equatable, Sendable {
    case boolean
    case int8, int16, int32, int64
    case float32, float64
    /// DECIMAL/NUMERIC; `precision` 0 when the database does not say.
    case decimal(precision: Int, scale: Int)
    case string
    case bytes
    /// A calendar date (Connect's `Date`: days since 1970-01-01).
    case date
    /// A time of day (Connect's `Time`: milliseconds since midnight).
    case time
    /// A point in time without a zone, read in `db.timezone` (Connect's `Timestamp`).
    case timestamp
    /// A type with no Kafka Connect mapping (the column's `typeName` says which).
    case unsupported

    /// Whether the incrementing mode can order and compare by a column of this type.
    public var isInteger: Bool {
        switch self {
        case .int8, .int16, .int32, .int64: true
        case .decimal(_, let scale): scale == 0
        default: false
        }
    }
}

/// A column of a result or a table.
public struct SQLColumn: Equatable, Sendable {
    /// The column's name, as the database spells it.
    public var name: String
    /// Its mapped type.
    public var type: SQLType
    /// The database's own name of the type, for messages.
    public var typeName: String
    /// Whether it may hold NULL.
    public var nullable: Bool

    /// A column.
    public init(name: String, type: SQLType, typeName: String, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.typeName = typeName
        self.nullable = nullable
    }
}

/// What the catalog says about a table: its columns' nullability, its
/// auto-increment column and its primary key.
public struct SQLTableDescription: Equatable, Sendable {
    /// Names of the columns that may not be NULL.
    public var notNull: Set<String>
    /// The auto-increment (or identity/serial) column, if any.
    public var autoIncrement: String?
    /// The primary key's columns, in key order (empty when there is none).
    public var primaryKey: [String]
    /// Every column name, in table order.
    public var columns: [String]

    /// A description.
    public init(columns: [String], notNull: Set<String>, autoIncrement: String?, primaryKey: [String]) {
        self.columns = columns
        self.notNull = notNull
        self.autoIncrement = autoIncrement
        self.primaryKey = primaryKey
    }
}

/// A table's name with the catalog and schema the database puts it in.
public struct SQLTableName: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The catalog (MySQL's database), if the database has one.
    public var catalog: String?
    /// The schema (PostgreSQL's), if the database has one.
    public var schema: String?
    /// The table's own name.
    public var name: String

    /// A name.
    public init(catalog: String? = nil, schema: String? = nil, name: String) {
        self.catalog = catalog
        self.schema = schema
        self.name = name
    }

    /// `catalog.schema.name` without the parts the database does not have: the
    /// `table` of the source partition.
    public var description: String { [catalog, schema, name].compactMap { $0 }.joined(separator: ".") }

    public static func < (a: SQLTableName, b: SQLTableName) -> Bool { a.description < b.description }
}
