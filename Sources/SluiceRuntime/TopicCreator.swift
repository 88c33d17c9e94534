import SluiceKafka

/// Creates the topics a source task writes to, before the first batch goes to each,
/// with the connector's `topic.creation.*` group settings (KIP-158).
///
/// A topic that exists already is not an error. A cluster that does not serve
/// CreateTopics (librdkafka's mock cluster, the embedded one) is said once and left
/// to create topics as it does on first write; creation is not tried again for the
/// task. Any other refusal (a replication factor above the broker count, a bad topic
/// config) fails the task, naming the topic.
///
/// Thread-safety: none; the one thread that produces the task's batches calls it.
final class TopicCreator {
    private let settings: TopicCreationSettings
    private let admin: TopicAdmin
    private let log: (String) -> Void
    private let timeoutMs: Int
    private var ensured: Set<String> = []
    private var unsupported = false
    /// CreateTopics requests sent.
    private(set) var requests = 0

    init(settings: TopicCreationSettings, configuration: KafkaConfiguration, timeoutMs: Int = 5_000, log: @escaping (String) -> Void) {
        self.settings = settings
        admin = TopicAdmin(configuration: configuration)
        self.timeoutMs = timeoutMs
        self.log = log
    }

    /// Makes sure `topic` exists, creating it the first time the task writes to it.
    func ensure(_ topic: String) throws {
        guard !unsupported, !ensured.contains(topic) else { return }
        let group = settings.group(for: topic)
        requests += 1
        do {
            try admin.createTopic(
                topic, partitions: group.partitions, replicationFactor: group.replicationFactor, config: group.configs, timeoutMs: timeoutMs)
        } catch let KafkaError.adminNotSupported(_, reason) {
            unsupported = true
            log("topic.creation: the cluster does not serve CreateTopics (\(reason)); topic \(topic) and later ones are left to the broker's own auto-creation")
        }
        ensured.insert(topic)
    }
}
