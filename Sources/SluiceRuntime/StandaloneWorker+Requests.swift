import Foundation
import SluiceKafka

/// What the REST API asks of a standalone worker: the same requests as in
/// distributed mode, answered from this process alone.
extension StandaloneWorker {
    /// Connector names, sorted.
    public func connectorNames() -> [String] {
        lock.withLock { connectors.keys.sorted() }
    }

    /// The connector's config as given (references unresolved).
    public func connectorConfig(_ name: String) throws -> [String: String] {
        try lock.withLock { try connectorLocked(name).config }
    }

    private func connectorLocked(_ name: String) throws -> StandaloneConnector {
        guard let connector = connectors[name] else { throw HerderError.notFound(name) }
        return connector
    }

    /// The connector's tasks with their configs (none while it is STOPPED).
    public func taskConfigs(_ name: String) throws -> [(id: ConnectorTaskID, config: [String: String])] {
        try lock.withLock {
            let connector = try connectorLocked(name)
            guard connector.target != .stopped else { return [] }
            return connector.taskConfigs.enumerated().map { (ConnectorTaskID(connector: name, task: $0.offset), $0.element) }
        }
    }

    /// The connector's status and its tasks', from the runners of this process.
    public func status(_ name: String) throws -> ConnectorStatus {
        try lock.withLock {
            let connector = try connectorLocked(name)
            let id = identity
            let state: StatusState = connector.target == .paused ? .paused : connector.target == .stopped ? .stopped : .running
            guard connector.target != .stopped else {
                return ConnectorStatus(connector: StatusEntry(state: .stopped, workerID: id, generation: 0), tasks: [])
            }
            let tasks = connector.taskConfigs.indices.map { task -> ConnectorStatus.TaskStatus in
                let runner = runners[ConnectorTaskID(connector: name, task: task)]
                let entry: StatusEntry
                switch (connector.target, runner?.state) {
                case (.paused, _): entry = StatusEntry(state: .paused, workerID: id, generation: 0)
                case (_, .failed?):
                    entry = StatusEntry(state: .failed, workerID: id, trace: runner?.error.map { "\($0)" } ?? "failed", generation: 0)
                case (_, .running?): entry = StatusEntry(state: .running, workerID: id, generation: 0)
                case (_, .stopped?): entry = StatusEntry(state: .stopped, workerID: id, generation: 0)
                default: entry = StatusEntry(state: .unassigned, workerID: id, generation: 0)
                }
                return ConnectorStatus.TaskStatus(id: task, status: entry)
            }
            return ConnectorStatus(connector: StatusEntry(state: state, workerID: id, generation: 0), tasks: tasks)
        }
    }

    /// Creates (`mustBeNew`) or replaces a connector: validates it (every problem at
    /// once), starts it, and (once the worker has started) runs its tasks, stopping
    /// the tasks of the config it replaces first.
    /// - Returns: whether the connector was created.
    @discardableResult
    public func putConnector(_ name: String, config: [String: String], mustBeNew: Bool, initialState: TargetState?) throws -> Bool {
        try ConnectorName.check(name)
        return try lock.withLock {
            let previous = connectors[name]
            if previous != nil && mustBeNew { throw HerderError.alreadyExists(name) }
            var connector = try makeConnector(name, raw: config, running: previous?.taskConfigs ?? [])
            if previous == nil, let initialState { connector.target = initialState }
            try replaceLocked(name, with: connector)
            return previous == nil
        }
    }

    /// Unhealthy while a change of connectors or tasks holds `lock` (a connector's
    /// `start` that does not return, say) for longer than `timeout`: every request
    /// that changes something would wait as long, as Kafka Connect's would behind its
    /// herder thread.
    public func healthProblem(timeout: Double) -> String? {
        guard lock.lock(before: Date(timeIntervalSinceNow: timeout)) else {
            return "Changes of connectors and tasks have been waiting more than \(timeout) s for the one under way to finish."
        }
        lock.unlock()
        return nil
    }

    /// Deletes a connector and stops its tasks.
    public func deleteConnector(_ name: String) throws {
        try lock.withLock {
            let connector = try connectorLocked(name)
            stopTasksLocked(of: name)
            connector.instance.stop()
            connectors[name] = nil
            for id in runners.keys where id.connector == name { runners[id] = nil }
        }
        // As Kafka Connect: a deleted connector's topics are forgotten.
        activeTopics?.reset(name)
    }

    /// A sink connector's offsets: its consumer group's committed offsets (KIP-875).
    public func sinkOffsets(_ name: String) throws -> [ConsumerGroupAdmin.PartitionOffset] {
        let config = try resolver.resolve(connectorConfig(name))
        return try SinkConnectorOffsets.read(connector: name, config: config, consumer: worker.settings.consumer)
    }

    /// Alters (`changes`) or resets (nil) a STOPPED sink connector's consumer group offsets (KIP-875).
    public func alterSinkOffsets(_ name: String, to changes: [SinkConnectorOffsets.Change]?) throws {
        guard try connectorType(name) == .sink else { throw HerderError.sourceOffsetsShape(name) }
        guard try targetState(name) == .stopped else { throw HerderError.notStopped(name) }
        let config = try resolver.resolve(connectorConfig(name))
        try SinkConnectorOffsets.alter(connector: name, config: config, consumer: worker.settings.consumer, to: changes)
    }

    /// Pauses (tasks stopped, shown PAUSED), resumes, or stops (no tasks) a connector.
    public func setTargetState(_ name: String, _ target: TargetState) throws {
        try lock.withLock {
            _ = try connectorLocked(name)
            connectors[name]?.target = target
            switch target {
            case .started: try startTasksLocked(of: name)
            case .paused, .stopped: stopTasksLocked(of: name)
            }
        }
        if target == .stopped { try worker.flushOffsets() }
    }

    /// The connector's target state.
    public func targetState(_ name: String) throws -> TargetState {
        try lock.withLock { try connectorLocked(name).target }
    }

    /// Restarts the connector (it makes its task configs anew) and, with
    /// `includeTasks`, its tasks (only the failed ones with `onlyFailed`).
    public func requestConnectorRestart(_ name: String, includeTasks: Bool, onlyFailed: Bool) throws {
        try lock.withLock {
            let old = try connectorLocked(name)
            if !onlyFailed {
                var fresh = try makeConnector(name, raw: old.config, running: old.taskConfigs)
                old.instance.stop()
                fresh.target = old.target
                connectors[name] = fresh
            }
            guard includeTasks else { return }
            let ids = runners.filter { $0.key.connector == name && (!onlyFailed || $0.value.state == .failed) }.keys
            stopTasksLocked(of: name, only: Array(ids))
            for id in ids { runners[id] = nil }
            try startTasksLocked(of: name)
        }
    }

    /// Restarts one task.
    public func requestTaskRestart(_ id: ConnectorTaskID) throws {
        try lock.withLock {
            let connector = try connectorLocked(id.connector)
            guard id.task >= 0, id.task < connector.taskConfigs.count else { throw HerderError.taskNotFound(id) }
            stopTasksLocked(of: id.connector, only: [id])
            runners[id] = nil
            try startTasksLocked(of: id.connector)
        }
    }

    /// A source connector's committed offsets, from the offsets file.
    public func committedOffsets(_ name: String) throws -> [String: SourceOffset] {
        guard try connectorType(name) == .source else {
            throw HerderError.badRequest("Sink connector offsets are the committed offsets of the consumer group connect-\(name); read them with Kafka's consumer group tools")
        }
        return worker.offsets?.offsets(of: name) ?? [:]
    }

    /// Replaces or deletes a STOPPED source connector's offsets in the offsets file.
    public func alterOffsets(_ name: String, to newOffsets: [String: SourceOffset]?) throws {
        guard try targetState(name) == .stopped else {
            throw HerderError.notStopped(name)
        }
        guard try connectorType(name) == .source, let offsets = worker.offsets else {
            throw HerderError.sinkOffsetsShape(name)
        }
        if let newOffsets {
            try offsets.set(connector: name, offsets: newOffsets)
        } else {
            try offsets.reset(connector: name)
            try offsets.flush()
        }
    }
}
