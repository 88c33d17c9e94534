import Foundation
import SluiceCore
import SluiceKafka

/// The settings of a distributed worker (`sluice worker worker.properties`), named
/// as Kafka Connect's.
public struct DistributedWorkerConfig: Sendable {
    /// The settings standalone and distributed workers share (bootstrap servers,
    /// `offset.flush.interval.ms`, `worker.cpus`, `producer.*`/`consumer.*`).
    public var base: WorkerConfig
    /// `group.id`: workers with the same id form one cluster.
    public var groupID: String
    /// `config.storage.topic` (one partition, compacted).
    public var configTopic: String
    /// `offset.storage.topic` (compacted).
    public var offsetTopic: String
    /// `status.storage.topic` (compacted).
    public var statusTopic: String
    /// `*.storage.replication.factor`, by topic.
    public var replicationFactors: [String: Int]
    /// `offset.storage.partitions` and `status.storage.partitions`, by topic.
    public var partitions: [String: Int]
    /// `session.timeout.ms`.
    public var sessionTimeoutMs: Int
    /// `heartbeat.interval.ms`.
    public var heartbeatIntervalMs: Int
    /// `rebalance.timeout.ms`.
    public var rebalanceTimeoutMs: Int
    /// The REST listener and its authentication.
    public var rest: RestConfig
    /// The REST listener's host (from `listeners` or `rest.host.name`; 127.0.0.1 unless set).
    public var restHost: String { rest.host }
    /// The REST listener's port (from `listeners` or `rest.port`; 8083 unless set; 0 picks a free one).
    public var restPort: Int { rest.port }
    /// `rest.advertised.host.name`, when other workers must reach this one by another name.
    public var advertisedHost: String? { rest.advertisedHost }
    /// `rest.auth.type`: none, basic or bearer.
    public var authType: String { rest.authType }
    /// `rest.auth.basic.users`: `user:password` pairs (references resolved).
    public var basicUsers: [String: String] { rest.basicUsers }
    /// `rest.auth.bearer.token` (references resolved).
    public var bearerToken: String? { rest.bearerToken }
    /// `task.restart.backoff.ms`: the first wait before a failed task is retried.
    public var restartBackoffMs: Int
    /// `task.restart.backoff.max.ms`: the longest wait between retries.
    public var restartBackoffMaxMs: Int
    /// `task.restart.max.attempts`: retries before a task stays FAILED (0: never retry).
    public var restartMaxAttempts: Int
    /// Unprefixed librdkafka properties (e.g. `security.protocol`) given to every client.
    public var passthrough: [String: String]
    /// Settings neither Sluice nor librdkafka knows, ignored (reported at start).
    public var ignored: [String]
    /// Resolves references in connector configs through the declared `config.providers`.
    public var resolver: SecretResolver

    static let known: Set<String> = [
        "bootstrap.servers", "group.id", "config.storage.topic", "offset.storage.topic", "status.storage.topic",
        "config.storage.replication.factor", "offset.storage.replication.factor", "status.storage.replication.factor",
        "offset.storage.partitions", "status.storage.partitions", "offset.flush.interval.ms", "offset.flush.timeout.ms", "task.shutdown.graceful.timeout.ms", "session.timeout.ms",
        "heartbeat.interval.ms", "rebalance.timeout.ms",
        "task.restart.backoff.ms", "task.restart.backoff.max.ms", "task.restart.max.attempts", "worker.cpus",
        "offset.storage.file.filename", ExactlyOnceSupport.workerKey, ClientOverridePolicy.key,
        HeaderConverterSetting.key,
    ]

    /// Reads and checks `properties`, resolving `${env:}`/`${file:}` references;
    /// every problem is reported at once.
    /// - Throws: ``RuntimeError/invalidConnectorConfig(connector:problems:)`` with connector "worker".
    public init(properties raw: [String: String], resolver: SecretResolver = SecretResolver()) throws {
        var providerProblems: [ConfigProblem] = []
        let resolver = resolver.with(providers: ConfigProviders.declared(in: raw, problems: &providerProblems))
        self.resolver = resolver
        var (properties, problems) = resolver.resolveWorkerProperties(raw)
        problems += providerProblems
        do {
            base = try WorkerConfig(properties: properties)
        } catch let RuntimeError.invalidConnectorConfig(_, baseProblems) {
            problems += baseProblems
            base = try WorkerConfig(properties: ["bootstrap.servers": "unset"])
        }
        func required(_ name: String) -> String {
            guard let value = properties[name], !value.isEmpty else {
                problems.append(ConfigProblem(name: name, value: nil, message: "Missing required configuration \"\(name)\" which has no default value."))
                return ""
            }
            return value
        }
        func integer(_ name: String, _ fallback: Int, minimum: Int) -> Int {
            guard let text = properties[name] else { return fallback }
            guard let value = Int(text), value >= minimum else {
                problems.append(ConfigProblem(name: name, value: text, message: "Invalid value \(text) for configuration \(name): Value must be at least \(minimum)"))
                return fallback
            }
            return value
        }
        groupID = required("group.id")
        configTopic = required("config.storage.topic")
        offsetTopic = required("offset.storage.topic")
        statusTopic = required("status.storage.topic")
        // Built pairwise: missing or equal names (reported below) must not trap.
        replicationFactors = Dictionary([
            (configTopic, integer("config.storage.replication.factor", 3, minimum: -1)),
            (offsetTopic, integer("offset.storage.replication.factor", 3, minimum: -1)),
            (statusTopic, integer("status.storage.replication.factor", 3, minimum: -1)),
        ], uniquingKeysWith: { first, _ in first })
        partitions = Dictionary([
            (configTopic, 1),
            (offsetTopic, integer("offset.storage.partitions", 25, minimum: 1)),
            (statusTopic, integer("status.storage.partitions", 5, minimum: 1)),
        ], uniquingKeysWith: { first, _ in first })
        if Set([configTopic, offsetTopic, statusTopic]).count < 3, !configTopic.isEmpty, !offsetTopic.isEmpty, !statusTopic.isEmpty {
            problems.append(ConfigProblem(name: "config.storage.topic", value: configTopic, message: "config, offset and status topics must be three different topics"))
        }
        sessionTimeoutMs = integer("session.timeout.ms", 10_000, minimum: 1_000)
        heartbeatIntervalMs = integer("heartbeat.interval.ms", 3_000, minimum: 10)
        rebalanceTimeoutMs = integer("rebalance.timeout.ms", 60_000, minimum: 1_000)
        if heartbeatIntervalMs >= sessionTimeoutMs {
            problems.append(ConfigProblem(name: "heartbeat.interval.ms", value: String(heartbeatIntervalMs), message: "heartbeat.interval.ms must be lower than session.timeout.ms (\(sessionTimeoutMs))"))
        }
        rest = RestConfig(properties: properties, problems: &problems)
        restartBackoffMs = integer("task.restart.backoff.ms", 1_000, minimum: 0)
        restartBackoffMaxMs = integer("task.restart.backoff.max.ms", 30_000, minimum: 0)
        restartMaxAttempts = integer("task.restart.max.attempts", 5, minimum: 0)
        passthrough = [:]
        ignored = []
        var clientSettings: [String: String] = [:]
        for (name, value) in properties
        where !Self.known.contains(name) && !RestConfig.names.contains(name) && !name.hasPrefix("producer.")
            && name != "config.providers" && !name.hasPrefix("config.providers.") && !name.hasPrefix("consumer.")
            && ConverterDefaults.role(of: name) == nil {
            clientSettings[name] = value
        }
        // Kafka's Java client settings for every client (sasl.jaas.config, trust stores, ...).
        let translated = JavaClientSettings.translate(clientSettings, label: "")
        base.notices += translated.notices
        problems += translated.problems.map { ConfigProblem(name: $0.name, value: $0.value, message: $0.message) }
        for (name, value) in translated.settings.sorted(by: { $0.key < $1.key }) {
            var probe = KafkaConfiguration()
            probe[name] = value
            do {
                try probe.validate()
                passthrough[name] = value
            } catch {
                ignored.append(name)
            }
        }
        if !problems.isEmpty { throw RuntimeError.invalidConnectorConfig(connector: "worker", problems: problems) }
        for (name, value) in passthrough {
            if base.producer[name] == nil { base.producer[name] = value }
            if base.consumer[name] == nil { base.consumer[name] = value }
        }
    }

    /// The client settings for the worker's own control records and readers.
    public var clientConfiguration: KafkaConfiguration {
        var config = KafkaConfiguration(bootstrapServers: base.bootstrapServers)
        for (name, value) in passthrough { config[name] = value }
        config["log_level"] = config["log_level"] ?? "3"
        return config
    }
}
