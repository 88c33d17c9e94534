import Foundation
import SluiceCore
import SluiceKafka

/// Starting, stopping and supervising the tasks a distributed worker is assigned.
/// Everything here runs on the herder thread (``stopAllTasks(reason:)`` also at stop).
extension DistributedHerder {
    /// The task configs connector `name` makes from its current config on this
    /// worker (cached per config), or why it makes none. Only the leader's are
    /// written to the config topic; every worker runs the stored ones. Values the
    /// connector copied from `${...}` references are written back as the references,
    /// so resolved secrets never reach the config topic. The caller holds `lock`.
    func computedTaskConfigsLocked(of name: String) -> Result<[[String: String]], RuntimeError> {
        guard let raw = state.configs.connectors[name] else { return .success([]) }
        if let cached = state.taskConfigCache[name], cached.config == raw { return cached.tasks }
        let result = Self.computeTaskConfigs(name: name, raw: raw, registry: registry, resolver: resolver)
        state.taskConfigCache[name] = (raw, result)
        return result
    }

    /// Starts connector `name` with its resolved config and asks it for task configs.
    static func computeTaskConfigs(
        name: String, raw: [String: String], registry: ConnectorRegistry, resolver: SecretResolver
    ) -> Result<[[String: String]], RuntimeError> {
        do {
            var settings = try resolver.resolve(raw)
            settings["name"] = name
            let checked = try ConnectorValidation.check(settings, registry: registry)
            guard checked.problems.isEmpty, let connector = checked.connector else {
                return .failure(.invalidConnectorConfig(connector: name, problems: checked.problems))
            }
            try connector.start(config: settings)
            defer { connector.stop() }
            let tasks = connector.taskConfigs(maxTasks: Int(settings["tasks.max"] ?? "1") ?? 1)
            return .success(tasks.map { SecretResolver.restoringReferences(in: $0, raw: raw, resolved: settings) })
        } catch let error as RuntimeError {
            return .failure(error)
        } catch {
            return .failure(.invalidConfig(name: "connector.class", value: raw["connector.class"] ?? "", reason: "\(error)"))
        }
    }

    /// The task configs every worker runs for connector `name`: the set last
    /// committed to the config topic (none while the connector is STOPPED). The
    /// caller holds `lock`.
    func storedTaskConfigsLocked(of name: String) -> [[String: String]] {
        guard state.configs.targetState(of: name) != .stopped else { return [] }
        return state.configs.taskConfigs[name] ?? []
    }

    /// How many tasks connector `name` has (the stored set). The caller holds `lock`.
    func taskCount(of name: String) -> Int { storedTaskConfigsLocked(of: name).count }

    /// The leader's part of a config change: computes connector `name`'s task configs
    /// and writes them to the config topic, after a config change always (so whoever
    /// changed it sees the change in force), otherwise when they differ from the
    /// stored ones or those were unusable. Herder thread.
    func reconfigure(_ name: String, always: Bool = false) {
        let (isLeader, exists, target, stored, problem, computed) = lock.withLock {
            (state.isLeader, state.configs.connectors[name] != nil, state.configs.targetState(of: name),
             state.configs.taskConfigs[name], state.configs.taskConfigProblems[name], computedTaskConfigsLocked(of: name))
        }
        guard isLeader, exists, target != .stopped else { return }
        switch computed {
        case let .failure(error):
            log("connector '\(name)' made no task configs: \(error)")
        case let .success(tasks):
            guard always || tasks != stored || problem != nil else { return }
            do {
                try producer.send(ClusterConfigState.taskConfigRecords(topic: config.configTopic, name: name, tasks: tasks))
                log("connector '\(name)': wrote \(tasks.count) task configs to the config topic")
            } catch {
                log("connector '\(name)': writing task configs failed (retried at the next rebalance): \(error)")
            }
        }
    }

    /// The leader, after each assignment: writes task configs for every running
    /// connector that has none stored or unusable ones (a new cluster, a leader that
    /// died between a config change and its task configs).
    func reconfigureMissing() {
        let names = lock.withLock { () -> [String] in
            guard state.isLeader else { return [] }
            return state.configs.connectors.keys.filter {
                state.configs.targetState(of: $0) != .stopped
                    && (state.configs.taskConfigs[$0] == nil || state.configs.taskConfigProblems[$0] != nil)
            }.sorted()
        }
        for name in names { reconfigure(name) }
    }

    /// Applies a new assignment: stops what was revoked, starts what is new.
    func apply(_ assignment: WorkerAssignment) {
        let (previous, runningIDs) = (lock.withLock { state.assignment }, Set(worker.taskIDs))
        let keep = Set(assignment.tasks)
        let toStop = runningIDs.filter { !keep.contains($0) }.sorted()
        stopTasks(toStop, status: nil)
        if !toStop.isEmpty { flushOffsets() }
        let runningConnectors = Set(worker.taskIDs.map(\.connector))
        for connector in Set(toStop.map(\.connector)) where !runningConnectors.contains(connector) {
            offsets.release(connector: connector)
        }
        // The previous owner's last flush must be read before a moved task resumes.
        let newTasks = assignment.tasks.filter { !runningIDs.contains($0) }
        if !newTasks.isEmpty {
            // Offsets this worker set or recorded earlier only win while it runs the
            // connector's tasks; for a connector it now picks up, the topic decides.
            let active = Set(worker.taskIDs.map(\.connector))
            for connector in Set(newTasks.map(\.connector)) where !active.contains(connector) {
                offsets.release(connector: connector)
            }
            readOffsets(timeoutMs: 10_000)
        }
        let oldConnectors = Set(previous?.connectors ?? [])
        var statuses: [MessageProducer.Message] = []
        for name in assignment.connectors where !oldConnectors.contains(name) {
            statuses.append(connectorStatusRecord(name, connectorState(name)))
        }
        writeStatus(statuses)
        lock.withLock {
            state.assignment = assignment
            state.rebalancing = false
        }
        for id in newTasks { startTask(id) }
        reconfigureMissing()
        if !assignment.revokedTasks.isEmpty || !assignment.revokedConnectors.isEmpty {
            member.requestRejoin()
        }
        log("generation \(lock.withLock { state.generation }): running \(worker.taskIDs.count) tasks (\(newTasks.count) new, \(toStop.count) stopped)")
    }

    /// The state a connector this worker owns reports.
    func connectorState(_ name: String) -> StatusState {
        let (target, exists, failed) = lock.withLock {
            (state.configs.targetState(of: name), state.configs.connectors[name] != nil,
             (try? computedTaskConfigsLocked(of: name).get())?.isEmpty ?? true)
        }
        guard exists else { return .unassigned }
        switch target {
        case .paused: return .paused
        case .stopped: return .stopped
        case .started: return failed ? .failed : .running
        }
    }

    /// Reacts to a config topic record.
    func handle(_ change: ClusterConfigState.Change) {
        let (isLeader, owned, ownedConnectors) = lock.withLock {
            (state.isLeader, Set(state.assignment?.tasks ?? []), Set(state.assignment?.connectors ?? []))
        }
        switch change {
        case let .connectorConfig(name):
            // The leader turns the new config into task configs; tasks restart when
            // those are stored (``ClusterConfigState/Change/taskConfigs(_:)``).
            if ownedConnectors.contains(name) { writeStatus([connectorStatusRecord(name, connectorState(name))]) }
            reconfigure(name, always: true)
        case let .taskConfigs(name, previous):
            // A new task set is in force: owned tasks whose config changed restart
            // with it; tasks past the new count stop (the leader's rebalance revokes
            // them); the leader rebalances when the count changed.
            let mine = worker.taskIDs.filter { $0.connector == name }
            let current = lock.withLock { storedTaskConfigsLocked(of: name) }
            let gone = mine.filter { $0.task >= current.count }.sorted()
            stopTasks(gone, status: nil)
            if !gone.isEmpty {
                writeStatus(gone.map { ClusterStatus.taskRecord(topic: config.statusTopic, task: $0, status: nil) })
            }
            for id in mine.filter({ $0.task < current.count }).sorted()
            where id.task >= previous.count || previous[id.task] != current[id.task] {
                restartTask(id)
            }
            if isLeader && previous.count != current.count { member.requestRejoin() }
        case let .inconsistentTaskConfigs(name):
            let problem = lock.withLock { state.configs.taskConfigProblems[name] ?? "unknown" }
            log("connector '\(name)': stored task configs skipped: \(problem)")
            if ownedConnectors.contains(name) {
                writeStatus([connectorStatusRecord(name, connectorState(name), trace: "stored task configs skipped: \(problem)")])
            }
            reconfigure(name)
        case let .connectorDeleted(name):
            let mine = worker.taskIDs.filter { $0.connector == name }
            stopTasks(mine.sorted(), status: nil)
            lock.withLock { state.taskConfigCache[name] = nil }
            if ownedConnectors.contains(name) {
                let known = lock.withLock { state.statuses.tasks.keys.filter { $0.connector == name } }
                writeStatus([ClusterStatus.connectorRecord(topic: config.statusTopic, name: name, status: nil)]
                    + known.map { ClusterStatus.taskRecord(topic: config.statusTopic, task: $0, status: nil) })
            }
            if isLeader { member.requestRejoin() }
        case let .targetState(name, previous):
            let target = lock.withLock { state.configs.targetState(of: name) }
            let mine = owned.filter { $0.connector == name }.sorted()
            switch target {
            case .paused:
                stopTasks(mine, status: .paused)
            case .started:
                for id in mine where worker.runner(id) == nil { startTask(id) }
            case .stopped:
                // Offsets may be altered once every task has stopped: flush first,
                // then say so (``alterOffsets`` waits for these statuses).
                stopTasks(mine, status: nil)
                flushOffsets()
                writeStatus(mine.map { taskStatusRecord($0, .unassigned) })
            }
            if ownedConnectors.contains(name) { writeStatus([connectorStatusRecord(name, connectorState(name))]) }
            // Pausing keeps the tasks assigned; only stopping or restarting from
            // STOPPED changes the set of tasks, so only that needs a rebalance.
            if isLeader && (target == .stopped || previous == .stopped) { member.requestRejoin() }
        case let .restartConnector(name, includeTasks, onlyFailed):
            if ownedConnectors.contains(name) {
                let current = lock.withLock { state.statuses.connectors[name]?.state }
                if !onlyFailed || current == .failed {
                    lock.withLock { state.taskConfigCache[name] = nil }
                    writeStatus([connectorStatusRecord(name, .restarting), connectorStatusRecord(name, connectorState(name))])
                }
            }
            if isLeader {
                // A restarted connector makes its task configs anew (a glob may match
                // other files now).
                lock.withLock { state.taskConfigCache[name] = nil }
                reconfigure(name)
            }
            if includeTasks {
                for id in owned.filter({ $0.connector == name }).sorted() {
                    let current = lock.withLock { state.statuses.tasks[id]?.state }
                    if !onlyFailed || current == .failed { restartTask(id) }
                }
            }
        case let .restartTask(id):
            if owned.contains(id) { restartTask(id) }
        case .none:
            break
        }
    }

    /// Stops a task and starts it again with the current config.
    func restartTask(_ id: ConnectorTaskID) {
        stopTasks([id], status: .restarting)
        lock.withLock {
            state.restarts[id] = nil
            state.reportedFailures.remove(id)
        }
        startTask(id)
    }

    /// Starts task `id` if its connector is running; a failure marks it FAILED.
    func startTask(_ id: ConnectorTaskID) {
        let (raw, target, taskConfigs) = lock.withLock {
            (state.configs.connectors[id.connector], state.configs.targetState(of: id.connector), storedTaskConfigsLocked(of: id.connector))
        }
        guard raw != nil else { return }
        if target == .paused {
            writeStatus([taskStatusRecord(id, .paused)])
            return
        }
        guard target == .started else { return }
        do {
            guard id.task < taskConfigs.count else {
                throw RuntimeError.invalidConfig(name: "tasks.max", value: String(id.task), reason: "the connector's stored task set has only \(taskConfigs.count) tasks")
            }
            try worker.startTask(
                id, config: taskConfigs[id.task], connectorClass: raw?["connector.class"],
                committed: offsets.offsets(of: id.connector))
            writeStatus([taskStatusRecord(id, .running)])
        } catch {
            failed(id, trace: "\(error)")
        }
    }

    /// Records a failure and schedules a retry with exponential backoff.
    func failed(_ id: ConnectorTaskID, trace: String) {
        metrics.taskFailures.wrappingIncrement(ordering: .relaxed)
        let retry = lock.withLock { () -> (attempts: Int, delayMs: Int)? in
            let attempts = (state.restarts[id]?.attempts ?? 0) + 1
            guard attempts <= config.restartMaxAttempts else {
                state.restarts[id] = (attempts, nil)
                return nil
            }
            let delay = min(config.restartBackoffMaxMs, config.restartBackoffMs << min(attempts - 1, 20))
            state.restarts[id] = (attempts, MonotonicClock.nanoseconds() + UInt64(delay) * 1_000_000)
            return (attempts, delay)
        }
        var text = trace
        if let retry {
            text += "\n(retry \(retry.attempts) of \(config.restartMaxAttempts) in \(retry.delayMs) ms)"
        } else {
            text += "\n(no more retries: task.restart.max.attempts=\(config.restartMaxAttempts); restart it through the REST API)"
        }
        log("task \(id) FAILED: \(trace)")
        writeStatus([taskStatusRecord(id, .failed, trace: text)])
    }

    /// Notices tasks that failed or ended, and retries failed ones when due.
    func superviseTasks() {
        for (id, task) in worker.reapEnded() {
            if task.state == .failed {
                failed(id, trace: task.error.map { "\($0)" } ?? "failed")
            } else {
                writeStatus([taskStatusRecord(id, .stopped)])
            }
        }
        let now = MonotonicClock.nanoseconds()
        let due = lock.withLock { () -> [ConnectorTaskID] in
            let owned = Set(state.assignment?.tasks ?? [])
            return state.restarts.filter { entry in
                guard let at = entry.value.due else { return false }
                return at <= now && owned.contains(entry.key) && worker.runner(entry.key) == nil
            }.map(\.key).sorted()
        }
        for id in due {
            lock.withLock { state.restarts[id]?.due = nil }
            writeStatus([taskStatusRecord(id, .restarting)])
            startTask(id)
        }
    }

    /// Stops `ids` (in-flight records are delivered), optionally recording `status`.
    func stopTasks(_ ids: [ConnectorTaskID], status: StatusState?) {
        worker.stopTasks(ids)
        if let status { writeStatus(ids.map { taskStatusRecord($0, status) }) }
    }

    /// Stops every task this worker runs.
    func stopAllTasks(reason: String) {
        let ids = worker.taskIDs
        guard !ids.isEmpty else { return }
        log("stopping \(ids.count) tasks: \(reason)")
        stopTasks(ids, status: nil)
        flushOffsets()
        lock.withLock { state.assignment = nil }
    }
}
