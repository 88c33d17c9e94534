/// `mode`: how the SQL source finds new rows.
public enum SQLSourceMode: String, Sendable, CaseIterable {
    /// The whole table at every poll.
    case bulk
    /// Rows with a larger value in the incrementing column.
    case incrementing
    /// Rows with a later timestamp.
    case timestamp
    /// Rows with a later timestamp, or the same timestamp and a larger incrementing value.
    case timestampIncrementing = "timestamp+incrementing"

    /// Whether the mode reads the incrementing column.
    var usesIncrementing: Bool { self == .incrementing || self == .timestampIncrementing }
    /// Whether the mode reads the timestamp columns.
    var usesTimestamp: Bool { self == .timestamp || self == .timestampIncrementing }
    /// Whether a table may be split over spare tasks (``SQLSplit``): by the incrementing
    /// column, or in bulk mode by an integer primary key of one column.
    var splits: Bool { self == .incrementing || self == .bulk }
}
