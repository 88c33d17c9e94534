import SluiceCore

/// Kafka Connect's dead-letter context headers (`__connect.errors.*`), which say where
/// a failed record came from and why it failed.
public enum ErrorContextHeaders {
    /// The headers for `error`, raised at `stage` (e.g. `VALUE_CONVERTER`) on a record of
    /// `topic`, plus any `extra` name/value pairs (e.g. `partition`, `offset`).
    public static func make(
        error: Error, stage: String, topic: String, connector: String, taskID: Int,
        extra: [(String, String)] = []
    ) -> [RecordHeader] {
        let pairs: [(String, String)] = [("topic", topic)] + extra + [
            ("stage", stage),
            ("exception.class.name", String(reflecting: type(of: error))),
            ("exception.message", "\(error)"),
            ("connector.name", connector), ("task.id", String(taskID)),
        ]
        return pairs.map { RecordHeader(name: "__connect.errors." + $0.0, value: Array($0.1.utf8)) }
    }
}
