/// What datagen writes into each record's value.
public enum BenchValueFormat: String, CaseIterable, Sendable {
    /// A binary (task, sequence) stamp, then filler: what ``BenchPlan/verify`` reads back.
    case bytes
    /// JSON objects (`{"task":…,"seq":…,"payload":"…"}`); the `mode` column adds `/json`.
    case json
}
