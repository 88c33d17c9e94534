/// `numeric.mapping`: how DECIMAL/NUMERIC columns become Kafka Connect types, as the
/// JDBC source connector maps them.
public enum NumericMapping: String, Sendable, CaseIterable {
    /// Always Connect's `Decimal` (bytes of the unscaled value).
    case none
    /// Integers (`INT8`...`INT64`) for scale 0 and precision up to 18, else `Decimal`.
    case precisionOnly = "precision_only"
    /// As `precision_only`, and `FLOAT64` for a scale above 0 with precision up to 15.
    case bestFit = "best_fit"
    /// As `best_fit`, also for columns whose precision the database does not state.
    case bestFitEagerDouble = "best_fit_eager_double"
}
