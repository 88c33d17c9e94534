import SluiceCore

/// Kafka Connect's dead-letter context headers (`__connect.errors.*`), which say where
/// a failed record came from and why it failed, in Kafka Connect's order:
///
/// | header | value |
/// | --- | --- |
/// | `topic`, `partition`, `offset` | where the record was read (sinks); for sources the connector's topic, the partition the task chose (-1: none) and -1 |
/// | `connector.name`, `task.id` | the task |
/// | `stage` | `KEY_CONVERTER`, `VALUE_CONVERTER`, `TRANSFORMATION`, `TASK_POLL`, ... |
/// | `class.name` | the class that failed, by Kafka's name (`org.apache.kafka.connect.json.JsonConverter`, `org.apache.kafka.connect.transforms.InsertField$Value`) |
/// | `exception.class.name`, `exception.message`, `exception.stacktrace` | the error (see ``ReportedError``) |
public enum ErrorContextHeaders {
    /// The headers for `error`, raised at `stage` by `className` on a record of `topic`
    /// (`partition`, `offset`: -1 when unknown), plus any `extra` name/value pairs
    /// after the offset (e.g. the file source's `file`).
    public static func make(
        error: any Error, stage: String, className: String, topic: String, partition: Int = -1, offset: Int64 = -1,
        connector: String, taskID: Int, extra: [(String, String)] = []
    ) -> [RecordHeader] {
        let reported = ReportedError(
            error, stage: stage, executingClass: className, connector: connector, taskID: taskID)
        let pairs: [(String, String)] =
            [("topic", topic), ("partition", String(partition)), ("offset", String(offset))] + extra + [
                ("connector.name", connector), ("task.id", String(taskID)),
                ("stage", stage), ("class.name", className),
                ("exception.class.name", reported.className),
                ("exception.message", reported.message),
                ("exception.stacktrace", reported.trace),
            ]
        return pairs.map { RecordHeader(name: prefix + $0.0, value: Array($0.1.utf8)) }
    }

    /// What every context header's name starts with.
    public static let prefix = "__connect.errors."
}
