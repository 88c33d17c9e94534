/// A value bound to a statement's placeholder.
public enum SQLParameter: Equatable, Sendable {
    case int64(Int64)
    case text(String)
    /// Bound as the database's timestamp text in `db.timezone`.
    case timestamp(SQLTimestamp)
}
