import SluiceKafka

/// What the REST API asks of a worker, in standalone or distributed mode: Kafka
/// Connect's `Herder`. A herder decides which connectors and tasks run; its
/// ``Worker`` runs them.
///
/// Standalone mode (``StandaloneWorker``) keeps connector configs in memory and
/// offsets in a file; distributed mode (``DistributedHerder``) keeps them in Kafka
/// and shares the tasks among the workers of a group. The REST layer
/// (`SluiceHTTP`) serves either through this protocol.
public protocol Herder: AnyObject, Sendable {
    /// The connector classes this worker knows.
    var registry: ConnectorRegistry { get }
    /// What connector configs may override of their tasks' clients.
    var clientOverridePolicy: ClientOverridePolicy { get }
    /// The id of the Kafka cluster the worker uses (`GET /`).
    var kafkaClusterID: String { get }
    /// This worker's id (`host:port`), as statuses name the worker that runs a connector or task.
    var workerID: String { get }
    /// Connector names, sorted.
    func connectorNames() -> [String]
    /// A connector's config as stored (references unresolved).
    /// - Throws: ``HerderError/notFound(_:)``.
    func connectorConfig(_ name: String) throws -> [String: String]
    /// A connector's tasks with their configs (references unresolved).
    func taskConfigs(_ name: String) throws -> [(id: ConnectorTaskID, config: [String: String])]
    /// A connector's status and its tasks' statuses.
    func status(_ name: String) throws -> ConnectorStatus
    /// Creates (`mustBeNew`) or replaces a connector's config. A connector that is
    /// created starts in `initialState` (KIP-980's `initial_state`; nil: started);
    /// a replaced one keeps its target state.
    /// - Returns: whether the connector was created.
    @discardableResult
    func putConnector(_ name: String, config: [String: String], mustBeNew: Bool, initialState: TargetState?) throws -> Bool
    /// Deletes a connector and stops its tasks.
    func deleteConnector(_ name: String) throws
    /// Pauses, resumes or stops a connector.
    func setTargetState(_ name: String, _ target: TargetState) throws
    /// The connector's target state.
    func targetState(_ name: String) throws -> TargetState
    /// Restarts a connector and, with `includeTasks`, its tasks (only the failed ones with `onlyFailed`).
    func requestConnectorRestart(_ name: String, includeTasks: Bool, onlyFailed: Bool) throws
    /// Restarts one task.
    func requestTaskRestart(_ id: ConnectorTaskID) throws
    /// A source connector's committed offsets, by source partition name.
    func committedOffsets(_ name: String) throws -> [String: SourceOffset]
    /// A sink connector's offsets: its consumer group's committed offsets (KIP-875).
    func sinkOffsets(_ name: String) throws -> [ConsumerGroupAdmin.PartitionOffset]
    /// Replaces (`newOffsets`) or deletes (nil) a STOPPED source connector's offsets.
    func alterOffsets(_ name: String, to newOffsets: [String: SourceOffset]?) throws
    /// Alters (`changes`) or resets (nil: the group is deleted) a STOPPED sink
    /// connector's consumer group offsets (KIP-875).
    func alterSinkOffsets(_ name: String, to changes: [SinkConnectorOffsets.Change]?) throws
    /// Why this worker cannot take requests now, or nil when it can: `GET /health`'s
    /// `unhealthy` (KIP-1017), which Kafka Connect answers when its herder thread does
    /// not get to a health check in time. Waits at most `timeout` seconds.
    func healthProblem(timeout: Double) -> String?
    /// The figures `/metrics` shows.
    var metrics: WorkerMetrics { get }
    /// The tasks this worker is to run.
    var assignedTasks: [ConnectorTaskID] { get }
    /// The group generation (distributed) or 0 (standalone).
    var generation: Int32 { get }
    /// Whether a rebalance is under way (never, in standalone mode).
    var isRebalancing: Bool { get }
    /// The topics each connector used (KIP-558), or `nil` with `topic.tracking.enable=false`.
    var activeTopics: ActiveTopics? { get }
    /// Whether REST may reset a connector's topics (`topic.tracking.allow.reset`).
    var topicTrackingAllowsReset: Bool { get }
    /// Sets `namespace` to `level` on every worker of the cluster (KIP-976).
    /// - Returns: `false` when this herder has no cluster to tell (standalone), so
    ///   the caller sets the level on this worker alone.
    func setClusterLoggerLevel(_ namespace: String, _ level: LogLevel) throws -> Bool
}

/// A connector's kind.
public enum ConnectorType: String, Sendable {
    case source, sink
}

/// A connector's status and its tasks', as `GET /connectors/{name}/status` shows them.
public struct ConnectorStatus: Sendable, Equatable {
    /// The connector's own status.
    public var connector: StatusEntry
    /// Each task's status, by task number.
    public var tasks: [TaskStatus]

    /// One task's status.
    public struct TaskStatus: Sendable, Equatable {
        /// The task's number.
        public var id: Int
        /// Its status.
        public var status: StatusEntry

        /// A task's status.
        public init(id: Int, status: StatusEntry) {
            self.id = id
            self.status = status
        }
    }

    /// A status.
    public init(connector: StatusEntry, tasks: [TaskStatus]) {
        self.connector = connector
        self.tasks = tasks
    }
}

extension Herder {
    /// Every override allowed (Kafka Connect's default), for herders without a worker config.
    public var clientOverridePolicy: ClientOverridePolicy { .all }

    /// Not served by herders without a Kafka cluster.
    public func sinkOffsets(_ name: String) throws -> [ConsumerGroupAdmin.PartitionOffset] {
        throw HerderError.badRequest("Sink connector offsets are the committed offsets of the consumer group connect-\(name)")
    }

    /// Not served by herders without a Kafka cluster.
    public func alterSinkOffsets(_ name: String, to changes: [SinkConnectorOffsets.Change]?) throws {
        throw HerderError.badRequest("Sink connector offsets are the committed offsets of the consumer group connect-\(name)")
    }

    /// No topic tracking, for herders without a worker config.
    public var activeTopics: ActiveTopics? { nil }

    /// No resets, for herders without a worker config.
    public var topicTrackingAllowsReset: Bool { false }

    /// No cluster: the caller sets the level on this worker, as Kafka Connect's standalone mode does.
    public func setClusterLoggerLevel(_ namespace: String, _ level: LogLevel) throws -> Bool { false }

    /// Creates (`mustBeNew`) or replaces a connector's config; a new one starts.
    /// - Returns: whether the connector was created.
    @discardableResult
    public func putConnector(_ name: String, config: [String: String], mustBeNew: Bool) throws -> Bool {
        try putConnector(name, config: config, mustBeNew: mustBeNew, initialState: nil)
    }

    /// The connector's type, from its class.
    public func connectorType(_ name: String) throws -> ConnectorType {
        let config = try connectorConfig(name)
        switch try? registry.factory(for: config["connector.class"] ?? "") {
        case .sink?: return .sink
        default: return .source
        }
    }

    /// Checks a config against the connector's definition.
    /// - Returns: every problem (empty when valid).
    /// - Throws: ``RuntimeError/unknownConnectorClass(_:known:)``.
    public func validate(_ config: [String: String]) throws -> ConnectorValidation.Result {
        try ConnectorValidation.check(config, registry: registry, policy: clientOverridePolicy)
    }

    /// The connector classes this worker knows, with their type.
    public var plugins: [(className: String, type: ConnectorType)] {
        registry.knownNames.compactMap { name in
            switch try? registry.factory(for: name) {
            case .source?: return (name, .source)
            case .sink?: return (name, .sink)
            case nil: return nil
            }
        }
    }

    /// The config definition of a connector class (with the shared settings first).
    public func configDefinition(of className: String) throws -> [ConfigDef.Key] {
        let connector: Connector
        switch try registry.factory(for: className) {
        case let .source(make): connector = make()
        case let .sink(make): connector = make()
        }
        return ConnectorValidation.commonDef.keys + connector.configDef.keys
    }
}
