/// Which way records flow in a sweep's rows.
public enum SweepDirection: String, CaseIterable, Sendable {
    /// A datagen source connector writes to Kafka.
    case source
    /// A `null` sink connector reads a topic filled beforehand to its end.
    case sink
}
