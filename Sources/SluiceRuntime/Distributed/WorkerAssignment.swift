/// What a worker tells the group when it joins: who it is and what it runs now.
/// Sent as JSON in the JoinGroup metadata.
public struct WorkerMetadata: Codable, Sendable, Equatable {
    /// The worker's id: its REST address (`host:port`), as Kafka Connect's `worker_id`.
    public var workerID: String
    /// The REST URL other workers and users reach it at.
    public var url: String
    /// How far the worker has read the config topic.
    public var configOffset: Int64
    /// The connectors it runs.
    public var connectors: [String]
    /// The tasks it runs.
    public var tasks: [ConnectorTaskID]

    enum CodingKeys: String, CodingKey {
        case workerID = "worker_id", url, configOffset = "config_offset", connectors, tasks
    }
}

/// The leader's answer to one worker: what it runs from now on and what it must
/// stop first. Sent as JSON in the SyncGroup assignment.
public struct WorkerAssignment: Codable, Sendable, Equatable {
    /// The leader's worker id.
    public var leader: String
    /// The leader's REST URL.
    public var leaderURL: String
    /// The config offset the leader assigned from.
    public var configOffset: Int64
    /// Connectors this worker runs (those it keeps and those new to it).
    public var connectors: [String]
    /// Tasks this worker runs.
    public var tasks: [ConnectorTaskID]
    /// Connectors it must stop (another worker gets them in the next round).
    public var revokedConnectors: [String]
    /// Tasks it must stop.
    public var revokedTasks: [ConnectorTaskID]

    enum CodingKeys: String, CodingKey {
        case leader, leaderURL = "leader_url", configOffset = "config_offset", connectors, tasks
        case revokedConnectors = "revoked_connectors", revokedTasks = "revoked_tasks"
    }
}
