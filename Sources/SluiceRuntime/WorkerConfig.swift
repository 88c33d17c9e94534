import SluiceCore
import SluiceKafka

/// A worker's settings, read from the `worker.properties` Kafka Connect users have.
///
/// | key | meaning | default |
/// | --- | --- | --- |
/// | `bootstrap.servers` | the Kafka cluster | required |
/// | `offset.storage.file.filename` | source offsets (standalone) | required with a source connector |
/// | `offset.flush.interval.ms` | how often offsets are written and sink offsets committed | 10000 |
/// | `offset.flush.timeout.ms` | how long offsets may fail to be written before the worker fails | 5000 |
/// | `task.shutdown.graceful.timeout.ms` | how long a stopping source task waits for its records to be acknowledged | 5000 |
/// | `worker.cpus` | CPUs for task threads, e.g. `0-3` | all allowed |
/// | `task.batch.bytes` | arena bytes of each source task batch: the largest record a source can write (Sluice's own) | 1048576 |
/// | `producer.path` | `native`, `librdkafka` or `automatic` (native wherever it applies; a connector may set its own) | automatic |
/// | `producer.*`, `consumer.*` | librdkafka properties for source or sink tasks; Kafka's Java client settings are translated or skipped (``JavaClientSettings``) | — |
/// | `key.converter`, `value.converter` (and their `.` options) | every connector's converters unless it names its own (``ConverterDefaults``) | — |
/// | `connector.client.config.override.policy` | which `producer.override.*`/`consumer.override.*` connectors may set: `All`, `None`, `Principal` (``ClientOverridePolicy``) | All |
/// | `header.converter` | SimpleHeaderConverter, StringConverter or ByteArrayConverter (header bytes unchanged); others refused (``HeaderConverterSetting``) | SimpleHeaderConverter |
/// | `topic.creation.enable` | source tasks create their topics with the connector's `topic.creation.*` groups (KIP-158) | true |
/// | `topic.tracking.enable`, `topic.tracking.allow.reset` | record the topics each connector uses (KIP-558), and let REST reset them | true, true |
/// | `exactly.once.source.support` | `disabled` or `preparing`; `enabled` is refused (``ExactlyOnceSupport``) | disabled |
public struct WorkerConfig: Sendable {
    /// The Kafka cluster (`bootstrap.servers`).
    public var bootstrapServers: String
    /// The source offsets file (`offset.storage.file.filename`).
    public var offsetsPath: String?
    /// How often offsets are written and sink offsets committed (`offset.flush.interval.ms`).
    public var flushIntervalMs: Int
    /// How long writing offsets may keep failing before the worker fails (`offset.flush.timeout.ms`).
    public var flushTimeoutMs: Int
    /// How long a stopping task may take to deliver what it has (`task.shutdown.graceful.timeout.ms`).
    public var shutdownTimeoutMs: Int
    /// Arena bytes of each source task batch (`task.batch.bytes`).
    public var taskBatchBytes = 1 << 20
    /// CPUs task threads are pinned to, round-robin (`worker.cpus`).
    public var cpus: CPUSet
    /// librdkafka settings of source tasks' producers (`producer.*`).
    public var producer: KafkaConfiguration
    /// Which producer source tasks use (`producer.path`: automatic, the default,
    /// native or librdkafka).
    public var producerPath: ProducerPath = .automatic
    /// librdkafka settings of sink tasks' consumers (`consumer.*`).
    public var consumer: KafkaConfiguration
    /// The converters of connectors that name none (`key.converter`, `value.converter`).
    public var converterDefaults: ConverterDefaults
    /// What connector configs may override of their tasks' clients
    /// (`connector.client.config.override.policy`).
    public var clientOverridePolicy: ClientOverridePolicy = .all
    /// Whether source tasks create the topics they write to with their connector's
    /// `topic.creation.*` settings (`topic.creation.enable`, KIP-158).
    public var topicCreationEnabled = true
    /// Whether tasks record the topics they use (`topic.tracking.enable`, KIP-558).
    public var topicTrackingEnabled = true
    /// Whether `PUT /connectors/{name}/topics/reset` may forget them (`topic.tracking.allow.reset`).
    public var topicTrackingAllowsReset = true
    /// Java client settings translated to librdkafka's or skipped (``JavaClientSettings``),
    /// one line each, for the worker to log at start.
    public var notices: [String] = []

    /// Reads and checks the settings; every problem is reported at once.
    public init(properties: [String: String]) throws {
        var problems: [ConfigProblem] = []
        bootstrapServers = properties["bootstrap.servers"] ?? ""
        if bootstrapServers.isEmpty {
            problems.append(ConfigProblem(name: "bootstrap.servers", value: nil, message: "Missing required configuration \"bootstrap.servers\" which has no default value."))
        }
        offsetsPath = properties["offset.storage.file.filename"]
        let interval = properties["offset.flush.interval.ms"] ?? "10000"
        flushIntervalMs = Int(interval) ?? 10_000
        if Int(interval) == nil || flushIntervalMs <= 0 {
            problems.append(ConfigProblem(name: "offset.flush.interval.ms", value: interval, message: "Invalid value \(interval) for configuration offset.flush.interval.ms: expected a positive number of milliseconds"))
        }
        let timeout = properties["offset.flush.timeout.ms"] ?? "5000"
        flushTimeoutMs = Int(timeout) ?? 5_000
        if Int(timeout) == nil || flushTimeoutMs <= 0 {
            problems.append(ConfigProblem(name: "offset.flush.timeout.ms", value: timeout, message: "Invalid value \(timeout) for configuration offset.flush.timeout.ms: expected a positive number of milliseconds"))
        }
        let shutdown = properties["task.shutdown.graceful.timeout.ms"] ?? "5000"
        shutdownTimeoutMs = Int(shutdown) ?? 5_000
        if Int(shutdown) == nil || shutdownTimeoutMs < 0 {
            problems.append(ConfigProblem(name: "task.shutdown.graceful.timeout.ms", value: shutdown, message: "Invalid value \(shutdown) for configuration task.shutdown.graceful.timeout.ms: expected a number of milliseconds"))
        }
        cpus = CPUSet.available()
        if let text = properties["task.batch.bytes"] {
            if let bytes = Int(text), bytes >= 1, bytes <= 1 << 30 {
                taskBatchBytes = bytes
            } else {
                problems.append(ConfigProblem(name: "task.batch.bytes", value: text, message: "Invalid value \(text) for configuration task.batch.bytes: expected bytes between 1 and 1073741824"))
            }
        }
        if let text = properties["worker.cpus"] {
            do {
                cpus = try CPUSet(parsing: text)
                try cpus.validateAvailable()
            } catch {
                problems.append(ConfigProblem(name: "worker.cpus", value: text, message: "\(error)"))
            }
        }
        problems += ExactlyOnceSupport.workerProblems(in: properties)
        problems += HeaderConverterSetting.problems(in: properties)
        if let text = properties[ClientOverridePolicy.key] {
            if let policy = ClientOverridePolicy(named: text) {
                clientOverridePolicy = policy
            } else {
                problems.append(ConfigProblem(name: ClientOverridePolicy.key, value: text, message: "Invalid value \(text) for configuration \(ClientOverridePolicy.key): expected All, None or Principal"))
            }
        }
        converterDefaults = ConverterDefaults(properties: properties)
        problems += converterDefaults.problems()
        producer = KafkaConfiguration(bootstrapServers: bootstrapServers)
        consumer = KafkaConfiguration(bootstrapServers: bootstrapServers)
        if let text = properties["producer.path"] {
            do {
                producerPath = try ProducerPath(named: text)
            } catch {
                problems.append(ConfigProblem(name: "producer.path", value: text, message: "\(error)"))
            }
        }
        var clients: [String: [String: String]] = ["producer": [:], "consumer": [:]]
        for (key, value) in properties where key != "producer.path" {
            if key.hasPrefix("producer.") { clients["producer"]![String(key.dropFirst(9))] = value }
            if key.hasPrefix("consumer.") { clients["consumer"]![String(key.dropFirst(9))] = value }
        }
        for (label, settings) in clients.sorted(by: { $0.key < $1.key }) {
            let translated = JavaClientSettings.translate(settings, label: label)
            notices += translated.notices
            problems += translated.problems.map { ConfigProblem(name: $0.name, value: $0.value, message: $0.message) }
            for (name, value) in translated.settings.sorted(by: { $0.key < $1.key }) {
                if label == "producer" { producer[name] = value } else { consumer[name] = value }
            }
        }
        for (label, config) in [("producer", producer), ("consumer", consumer)] {
            do { try config.validate() } catch let KafkaError.invalidProperty(name, value, reason) {
                problems.append(ConfigProblem(name: "\(label).\(name)", value: value, message: "Invalid value \(value) for configuration \(label).\(name): \(reason)"))
            }
        }
        topicCreationEnabled = Self.flag("topic.creation.enable", in: properties, default: true, problems: &problems)
        topicTrackingEnabled = Self.flag("topic.tracking.enable", in: properties, default: true, problems: &problems)
        topicTrackingAllowsReset = Self.flag("topic.tracking.allow.reset", in: properties, default: true, problems: &problems)
        if !problems.isEmpty { throw RuntimeError.invalidConnectorConfig(connector: "worker", problems: problems) }
    }

    /// A boolean setting: `true` or `false` in any case, as Kafka's `ConfigDef` reads them.
    private static func flag(_ key: String, in properties: [String: String], default value: Bool, problems: inout [ConfigProblem]) -> Bool {
        guard let text = properties[key] else { return value }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            problems.append(ConfigProblem(name: key, value: text, message: "Invalid value \(text) for configuration \(key): Expected value to be either true or false"))
            return value
        }
    }
}
