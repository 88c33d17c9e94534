import Foundation
import SluiceCore
import SluiceKafka

/// What the REST API asks of a worker. Any worker answers any request: reads come
/// from the topics every worker reads, writes go to the config topic and return
/// once this worker has read them back.
extension DistributedHerder {
    /// Connector names, sorted.
    public func connectorNames() -> [String] {
        lock.withLock { state.configs.connectors.keys.sorted() }
    }

    /// Whether a rebalance is under way (requests that need a stable view answer 409).
    public var isRebalancing: Bool { lock.withLock { state.rebalancing } }

    /// The current leader's worker id and URL.
    public var leader: (id: String, url: String) { lock.withLock { (state.leaderID, state.leaderURL) } }

    /// The generation of the group this worker last joined.
    public var generation: Int32 { lock.withLock { state.generation } }

    /// The connector's config as stored (references unresolved).
    public func connectorConfig(_ name: String) throws -> [String: String] {
        guard let config = lock.withLock({ state.configs.connectors[name] }) else { throw HerderError.notFound(name) }
        return config
    }

    /// The connector's tasks with their configs.
    public func taskConfigs(_ name: String) throws -> [(id: ConnectorTaskID, config: [String: String])] {
        _ = try connectorConfig(name)
        return lock.withLock {
            guard state.configs.targetState(of: name) != .stopped else { return [] }
            return storedTaskConfigsLocked(of: name).enumerated().map { (ConnectorTaskID(connector: name, task: $0.offset), $0.element) }
        }
    }

    /// The connector's status and its tasks' statuses.
    public func status(_ name: String) throws -> ConnectorStatus {
        _ = try connectorConfig(name)
        return lock.withLock {
            let unassigned = StatusEntry(state: .unassigned, workerID: "", generation: -1)
            let tasks = (0..<taskCount(of: name)).map { task in
                ConnectorStatus.TaskStatus(id: task, status: state.statuses.tasks[ConnectorTaskID(connector: name, task: task)] ?? unassigned)
            }
            return ConnectorStatus(connector: state.statuses.connectors[name] ?? unassigned, tasks: tasks)
        }
    }

    /// How long a request that changes configs waits for a rebalance to end before
    /// it answers 409.
    public static let requestTimeoutMs = 30_000

    /// Waits until the group is stable (no rebalance under way, a leader known), as a
    /// config change must; throws ``HerderError/rebalancing`` after `timeoutMs`.
    func awaitStableGroup(timeoutMs: Int = requestTimeoutMs) throws {
        let deadline = MonotonicClock.nanoseconds() + UInt64(timeoutMs) * 1_000_000
        while lock.withLock({ state.rebalancing || state.leaderURL.isEmpty }) {
            guard MonotonicClock.nanoseconds() < deadline else { throw HerderError.rebalancing }
            usleep(20_000)
        }
    }

    /// Throws ``HerderError/notLeader(leaderURL:)`` unless this worker leads the group
    /// (after waiting for a stable group).
    func requireLeader() throws {
        try awaitStableGroup()
        let (isLeader, leaderURL) = lock.withLock { (state.isLeader, state.leaderURL) }
        guard isLeader else { throw HerderError.notLeader(leaderURL: leaderURL) }
    }

    /// Creates (`mustBeNew`) or replaces a connector's config.
    ///
    /// As in Kafka Connect, only the leader writes connector configs, one change at a
    /// time, so of concurrent creates of one name exactly one succeeds; another
    /// worker throws ``HerderError/notLeader(leaderURL:)`` for the REST layer to
    /// forward. A change made during a rebalance waits for it to end.
    /// - Returns: whether the connector was created.
    /// - Throws: ``HerderError`` (exists, not the leader, a rebalance longer than
    ///   ``requestTimeoutMs``) or ``RuntimeError/invalidConnectorConfig(connector:problems:)``
    ///   listing every bad setting.
    @discardableResult
    public func putConnector(_ name: String, config raw: [String: String], mustBeNew: Bool, initialState: TargetState?) throws -> Bool {
        try ConnectorName.check(name)
        var config = raw
        config["name"] = name
        let checked = try ConnectorValidation.check(config, registry: registry, policy: clientOverridePolicy)
        // References must resolve where they are declared allowed (the values are not shown).
        let problems = checked.problems + resolver.referenceProblems(in: config).filter { reference in
            !checked.problems.contains { $0.name == reference.name }
        }
        guard problems.isEmpty else {
            throw RuntimeError.invalidConnectorConfig(connector: name, problems: problems)
        }
        try requireLeader()
        let exists = try configWriteLock.withLock {
            try catchUpConfig(timeoutMs: 10_000)
            let exists = lock.withLock { state.configs.connectors[name] != nil }
            if exists && mustBeNew { throw HerderError.alreadyExists(name) }
            var records = [ClusterConfigState.connectorRecord(topic: self.config.configTopic, name: name, config: config)]
            if !exists, let initialState {
                // As Kafka Connect: the target state goes first, so no worker starts the
                // connector in another state.
                records.insert(ClusterConfigState.targetStateRecord(topic: self.config.configTopic, name: name, state: initialState), at: 0)
            }
            try producer.send(records)
            try catchUpConfig(timeoutMs: 10_000)
            return exists
        }
        awaitTaskConfigs(of: name, timeoutMs: 10_000)
        log("connector \(ConnectorName.escaped(name)) \(exists ? "updated" : "created"): \(SecretResolver.redacted(config).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))")
        return !exists
    }

    /// Waits (reading the config topic) until the leader has stored task configs for
    /// connector `name`'s current config, so a create or update answers with the
    /// tasks in force. Gives up at once when the connector makes no task configs on
    /// this worker either (the leader will not have written any), and after `timeoutMs`.
    func awaitTaskConfigs(of name: String, timeoutMs: Int) {
        let deadline = MonotonicClock.nanoseconds() + UInt64(timeoutMs) * 1_000_000
        while MonotonicClock.nanoseconds() < deadline {
            let current = lock.withLock {
                state.configs.taskConfigsAreCurrent(name) || state.configs.targetState(of: name) == .stopped
            }
            if current { return }
            let makesTasks = (try? computedTaskConfigs(of: name).get()) != nil
            if !makesTasks { return }
            usleep(20_000)
            do { try catchUpConfig(timeoutMs: 1_000) } catch { return }
        }
        log("connector \(ConnectorName.escaped(name)): no task configs stored within \(timeoutMs) ms of its config; answering without them")
    }

    /// Deletes a connector (on the leader; see ``putConnector(_:config:mustBeNew:initialState:)``).
    public func deleteConnector(_ name: String) throws {
        _ = try connectorConfig(name)
        try requireLeader()
        try configWriteLock.withLock {
            try catchUpConfig(timeoutMs: 10_000)
            _ = try connectorConfig(name)
            try producer.send([ClusterConfigState.deletionRecord(topic: config.configTopic, name: name)])
            try catchUpConfig(timeoutMs: 10_000)
        }
        log("connector \(ConnectorName.escaped(name)) deleted")
    }

    /// Writes `namespace`'s level to the config topic; every worker (this one too)
    /// sets it when it reads the record (KIP-976). Any worker may write it.
    public func setClusterLoggerLevel(_ namespace: String, _ level: LogLevel) throws -> Bool {
        try producer.send([ClusterLoggerLevel.record(topic: config.configTopic, namespace: namespace, level: level)])
        return true
    }

    /// A sink connector's offsets: its consumer group's committed offsets (KIP-875).
    public func sinkOffsets(_ name: String) throws -> [ConsumerGroupAdmin.PartitionOffset] {
        let config = try resolver.resolve(connectorConfig(name))
        return try SinkConnectorOffsets.read(connector: name, config: config, consumer: worker.settings.consumer)
    }

    /// Pauses, resumes or stops a connector.
    public func setTargetState(_ name: String, _ target: TargetState) throws {
        _ = try connectorConfig(name)
        try producer.send([ClusterConfigState.targetStateRecord(topic: config.configTopic, name: name, state: target)])
        try catchUpConfig(timeoutMs: 10_000)
    }

    /// The connector's target state.
    public func targetState(_ name: String) throws -> TargetState {
        _ = try connectorConfig(name)
        return lock.withLock { state.configs.targetState(of: name) }
    }

    /// Asks the workers that run the connector (and its tasks) to restart them.
    public func requestConnectorRestart(_ name: String, includeTasks: Bool, onlyFailed: Bool) throws {
        _ = try connectorConfig(name)
        try awaitStableGroup()
        try producer.send([ClusterConfigState.restartRecord(topic: config.configTopic, name: name, includeTasks: includeTasks, onlyFailed: onlyFailed)])
        try catchUpConfig(timeoutMs: 10_000)
    }

    /// Asks the worker that runs a task to restart it.
    public func requestTaskRestart(_ id: ConnectorTaskID) throws {
        let count = try taskConfigs(id.connector).count
        guard id.task >= 0, id.task < count else { throw HerderError.taskNotFound(id) }
        try awaitStableGroup()
        try producer.send([ClusterConfigState.taskRestartRecord(topic: config.configTopic, task: id)])
        try catchUpConfig(timeoutMs: 10_000)
    }

    /// The connector's committed source offsets, by source partition name.
    public func committedOffsets(_ name: String) throws -> [String: SourceOffset] {
        _ = try connectorConfig(name)
        readOffsets(timeoutMs: 5_000)
        return offsets.offsets(of: name)
    }

    /// Replaces (`PATCH`) or deletes (`DELETE`, when `newOffsets` is nil) a source
    /// connector's offsets; the connector must be STOPPED, as in Kafka Connect.
    public func alterOffsets(_ name: String, to newOffsets: [String: SourceOffset]?) throws {
        guard try connectorType(name) == .source else { throw HerderError.sinkOffsetsShape(name) }
        try requireStoppedTasks(of: name)
        if let newOffsets {
            try offsets.set(connector: name, offsets: newOffsets)
        } else {
            try offsets.reset(connector: name)
        }
    }

    /// Alters (`changes`) or resets (nil) a STOPPED sink connector's consumer group
    /// offsets (KIP-875); Kafka takes them once no task of the connector is in the group.
    public func alterSinkOffsets(_ name: String, to changes: [SinkConnectorOffsets.Change]?) throws {
        guard try connectorType(name) == .sink else { throw HerderError.sourceOffsetsShape(name) }
        try requireStoppedTasks(of: name)
        let config = try resolver.resolve(connectorConfig(name))
        try SinkConnectorOffsets.alter(connector: name, config: config, consumer: worker.settings.consumer, to: changes)
    }

    /// Throws unless the connector is STOPPED and none of its tasks runs anywhere: a
    /// source task's last flush, or a sink task's membership of its group, would
    /// otherwise race the change of its offsets.
    private func requireStoppedTasks(of name: String) throws {
        guard try targetState(name) == .stopped else { throw HerderError.notStopped(name) }
        let stillRunning = lock.withLock {
            worker.taskIDs.contains { $0.connector == name }
                || state.statuses.tasks.contains { $0.key.connector == name && [.running, .paused, .restarting].contains($0.value.state) }
        }
        if stillRunning { throw HerderError.tasksStillStopping(name) }
    }

    /// Tasks this worker runs now.
    public var localTasks: [ConnectorTaskID] { worker.taskIDs }

    /// Tasks assigned to this worker (running, paused or failed).
    public var assignedTasks: [ConnectorTaskID] { lock.withLock { state.assignment?.tasks ?? [] } }
}
