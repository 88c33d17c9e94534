/// The Kafka cluster a benchmark or a sweep runs against.
public enum BenchCluster: Sendable, Equatable {
    /// librdkafka's mock cluster inside this process. Nothing to install and no
    /// executable needed; its CPU time and memory count in the in-process run's
    /// figures (`cpu s/M`, peak RSS), so compare rows only with each other.
    case embedded
    /// librdkafka's mock cluster in a `sluice broker` child process started from
    /// `sluiceExecutable`, which keeps the broker's CPU and memory out of the
    /// figures (what `sluice bench` uses). The child exits when this process does.
    case embeddedProcess(sluiceExecutable: String)
    /// A running cluster; its admin API creates the topics.
    case bootstrapServers(String)
}
