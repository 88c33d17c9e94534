import SluiceKafka

/// Why a distributed worker could not start.
public enum WorkerStartError: Error, Equatable, CustomStringConvertible {
    /// No bootstrap server answered.
    case unreachable(bootstrapServers: String, reason: String)
    /// An internal topic exists but cannot be used.
    case badInternalTopic(topic: String, setting: String, reason: String)
    /// An internal topic is missing and the cluster cannot create it.
    case missingInternalTopic(topic: String, setting: String, reason: String)

    public var description: String {
        switch self {
        case let .unreachable(servers, reason):
            return "cannot reach Kafka at \(servers): \(reason)"
        case let .badInternalTopic(topic, setting, reason):
            return "topic '\(topic)' supplied via \(setting) \(reason)"
        case let .missingInternalTopic(topic, setting, reason):
            return "topic '\(topic)' supplied via \(setting) does not exist and \(reason)"
        }
    }
}

/// Makes sure the config, offset and status topics exist and are usable, as
/// Kafka Connect's worker does at start: missing ones are created compacted (the
/// config topic with one partition); an existing one that is not compacted, or a
/// config topic with more than one partition, is refused.
///
/// librdkafka's mock cluster serves neither CreateTopics nor DescribeConfigs: there
/// the topics must already exist (`sluice broker` creates `connect-configs`,
/// `connect-offsets` and `connect-status`), and compaction cannot be checked (the
/// mock keeps no cleanup policy), which is logged.
struct InternalTopics {
    let config: DistributedWorkerConfig
    let log: @Sendable (String) -> Void

    /// Returns the cluster id the broker reports.
    @discardableResult
    func ensure() throws -> String {
        let servers = config.base.bootstrapServers
        let connection = try KafkaClusterProbe.connect(bootstrapServers: servers)
        let versions: [Int16: Int16]
        let existing: [String: Int]
        let clusterID: String
        do {
            versions = try ControlPlaneClient.apiVersions(connection)
            let metadata = try ControlPlaneClient.metadata(connection, topics: nil)
            existing = Dictionary(metadata.topics.map { ($0.name, $0.partitions) }, uniquingKeysWith: { a, _ in a })
            clusterID = metadata.clusterID ?? ""
        } catch {
            throw WorkerStartError.unreachable(bootstrapServers: servers, reason: "\(error)")
        }
        let canCreate = versions[19] != nil
        let canDescribe = versions[32] != nil
        let admin = TopicAdmin(configuration: config.clientConfiguration)
        let topics = [
            (config.configTopic, "config.storage.topic"), (config.offsetTopic, "offset.storage.topic"),
            (config.statusTopic, "status.storage.topic"),
        ]
        for (topic, setting) in topics {
            if let partitions = existing[topic] {
                if topic == config.configTopic && partitions != 1 {
                    throw WorkerStartError.badInternalTopic(
                        topic: topic, setting: setting,
                        reason: "has \(partitions) partitions; it must have exactly one, so that every worker reads configs in one order")
                }
                if canDescribe {
                    let settings = try admin.topicConfig(topic)
                    let policy = settings["cleanup.policy"] ?? "delete"
                    guard policy.split(separator: ",").contains("compact") else {
                        throw WorkerStartError.badInternalTopic(
                            topic: topic, setting: setting,
                            reason: "has cleanup.policy=\(policy); it must be compact, or old configs and offsets are deleted")
                    }
                } else {
                    log("cannot check that '\(topic)' is compacted: the cluster does not serve DescribeConfigs (the embedded cluster does not)")
                }
                continue
            }
            guard canCreate else {
                throw WorkerStartError.missingInternalTopic(
                    topic: topic, setting: setting,
                    reason: "the cluster does not serve CreateTopics (the embedded cluster does not); create it first, e.g. `sluice broker --topic \(topic):\(config.partitions[topic] ?? 1)`")
            }
            do {
                try admin.createTopic(
                    topic, partitions: config.partitions[topic] ?? 1,
                    replicationFactor: config.replicationFactors[topic] ?? -1, config: ["cleanup.policy": "compact"])
                log("created internal topic '\(topic)' (compacted, \(config.partitions[topic] ?? 1) partitions)")
            } catch {
                throw WorkerStartError.missingInternalTopic(topic: topic, setting: setting, reason: "creating it failed: \(error)")
            }
        }
        return clusterID
    }
}
