/// The path records take from the datagen task to Kafka in an in-process run.
public enum BenchPipeline: String, CaseIterable, Sendable {
    /// Records go out as the task wrote them (the `mode` column shows the hand-off).
    case zeroCopy = "zero-copy"
    /// Records pass through converters and transforms first
    /// (``BenchPlan/connectorConfig``; the `mode` column adds `+conv`).
    case converted
}
