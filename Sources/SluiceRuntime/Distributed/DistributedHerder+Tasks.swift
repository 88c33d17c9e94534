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
    /// so resolved secrets never reach the config topic.
    ///
    /// The connector is started outside `lock` (its start may wait on an external
    /// system, a database's connection attempts say, for minutes; the state lock must
    /// stay free for REST reads, the membership thread and the herder thread), one
    /// computation at a time (`computeLock`, taken before `lock`, never inside it).
    /// The caller does not hold `lock`.
    func computedTaskConfigs(of name: String) -> Result<[[String: String]], RuntimeError> {
        computeLock.withLock {
            let (raw, cached, running) = lock.withLock {
                (state.configs.connectors[name], state.taskConfigCache[name], state.configs.taskConfigs[name] ?? [])
            }
            guard let raw else { return .success([]) }
            if let cached, cached.config == raw { return cached.tasks }
            var recheckMs: Int?
            let result = Self.computeTaskConfigs(
                name: name, raw: raw, running: running, registry: registry, resolver: resolver, recheckMs: &recheckMs)
            let recheckAt = recheckMs.map { MonotonicClock.nanoseconds() + UInt64($0) * 1_000_000 }
            lock.withLock {
                // A config replaced meanwhile is computed again by whoever asks for it.
                if state.configs.connectors[name] == raw { state.taskConfigCache[name] = (raw, result, recheckAt) }
            }
            return result
        }
    }

    /// The leader, on its thread: recomputes the task configs of every running
    /// ``MonitoringConnector`` whose recheck is due, and stores them when they changed.
    /// A connector this worker has not computed yet (it just became leader) is computed
    /// first, without storing anything, so its rechecks start.
    func recheckMonitoredConnectors() {
        let uncomputed = lock.withLock { () -> [String] in
            guard state.isLeader else { return [] }
            return state.configs.connectors.filter { name, raw in
                state.taskConfigCache[name]?.config != raw && state.configs.targetState(of: name) != .stopped
            }.keys.sorted()
        }
        for name in uncomputed { _ = computedTaskConfigs(of: name) }
        let now = MonotonicClock.nanoseconds()
        let due = lock.withLock { () -> [String] in
            guard state.isLeader else { return [] }
            let names = state.taskConfigCache.filter { name, cached in
                cached.recheckAt.map { $0 <= now } == true && state.configs.connectors[name] == cached.config
                    && state.configs.targetState(of: name) != .stopped
            }.keys.sorted()
            for name in names { state.taskConfigCache[name] = nil }
            return names
        }
        for name in due { reconfigure(name) }
    }

    /// Starts connector `name` with its resolved config and asks it for task configs
    /// (telling it the `running` ones, the stored set). `recheckMs` is set to the
    /// connector's ``MonitoringConnector/taskConfigsRecheckIntervalMs``.
    static func computeTaskConfigs(
        name: String, raw: [String: String], running: [[String: String]], registry: ConnectorRegistry, resolver: SecretResolver,
        recheckMs: inout Int?
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
            recheckMs = (connector as? MonitoringConnector)?.taskConfigsRecheckIntervalMs
            let tasks = connector.taskConfigs(maxTasks: Int(settings["tasks.max"] ?? "1") ?? 1, running: running)
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
        let (isLeader, exists, target) = lock.withLock {
            (state.isLeader, state.configs.connectors[name] != nil, state.configs.targetState(of: name))
        }
        guard isLeader, exists, target != .stopped else { return }
        let computed = computedTaskConfigs(of: name)
        let (stored, problem) = lock.withLock { (state.configs.taskConfigs[name], state.configs.taskConfigProblems[name]) }
        switch computed {
        case let .failure(error):
            log("connector \(ConnectorName.escaped(name)) made no task configs: \(error)")
        case let .success(tasks):
            guard always || tasks != stored || problem != nil else { return }
            do {
                try producer.send(ClusterConfigState.taskConfigRecords(topic: config.configTopic, name: name, tasks: tasks))
                log("connector \(ConnectorName.escaped(name)): wrote \(tasks.count) task configs to the config topic")
            } catch {
                log("connector \(ConnectorName.escaped(name)): writing task configs failed (retried at the next rebalance): \(error)")
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
        execute(HerderPlan.actions(for: .assigned(assignment), in: view()))
    }

    /// Reacts to a config topic record.
    func handle(_ change: ClusterConfigState.Change) {
        execute(HerderPlan.actions(for: .configChanged(change), in: view()))
    }

    /// What ``HerderPlan`` decides from.
    func view() -> HerderView {
        let running = Set(worker.taskIDs)
        return lock.withLock {
            HerderView(isLeader: state.isLeader, assignment: state.assignment, running: running, configs: state.configs, statuses: state.statuses)
        }
    }

    /// Carries out a plan's actions, in order (the herder thread).
    func execute(_ actions: [HerderAction]) {
        for action in actions {
            switch action {
            case let .stopTasks(ids, status): stopTasks(ids, status: status)
            case let .startTask(id): startTask(id)
            case let .restartTask(id): restartTask(id)
            case let .writeTaskStatuses(ids, status): writeStatus(ids.map { taskStatusRecord($0, status) })
            case let .deleteTaskStatuses(ids):
                writeStatus(ids.map { ClusterStatus.taskRecord(topic: config.statusTopic, task: $0, status: nil) })
            case let .deleteConnectorStatus(name):
                writeStatus([ClusterStatus.connectorRecord(topic: config.statusTopic, name: name, status: nil)])
            case let .reportConnector(name, status, trace):
                writeStatus([connectorStatusRecord(name, status ?? connectorState(name), trace: trace)])
            case let .resetActiveTopics(name): activeTopics?.reset(name)
            case let .forgetComputedTaskConfigs(name): lock.withLock { state.taskConfigCache[name] = nil }
            case let .storeTaskConfigs(name, always): reconfigure(name, always: always)
            case .storeMissingTaskConfigs: reconfigureMissing()
            case .flushOffsets: flushOffsets()
            case let .releaseOffsets(connector): offsets.release(connector: connector)
            case .readOffsets: readOffsets(timeoutMs: 10_000)
            case let .adopt(assignment):
                lock.withLock {
                    state.assignment = assignment
                    state.rebalancing = false
                }
            case .requestRejoin: member.requestRejoin()
            case let .log(line): log("generation \(lock.withLock { state.generation }): \(line)")
            }
        }
    }

    /// The state a connector this worker owns reports.
    func connectorState(_ name: String) -> StatusState {
        let (target, exists) = lock.withLock { (state.configs.targetState(of: name), state.configs.connectors[name] != nil) }
        guard exists else { return .unassigned }
        let failed = (try? computedTaskConfigs(of: name).get())?.isEmpty ?? true
        switch target {
        case .paused: return .paused
        case .stopped: return .stopped
        case .started: return failed ? .failed : .running
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
