/// How a table is split over spare tasks (`split.strategy`): by ranges of its
/// column, or by the remainder of its values; see ``SQLSplit``.
enum SQLSplitStrategy: String, CaseIterable, Sendable {
    /// Ranges of the column's values (the default).
    case range
    /// The remainder of the column's values divided by the number of parts.
    case remainder
}
