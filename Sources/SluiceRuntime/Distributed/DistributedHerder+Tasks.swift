import Foundation
import SluiceCore
import SluiceKafka

/// Starting, stopping and supervising the tasks a distributed worker is assigned.
/// Everything here runs on the herder thread (``stopAllTasks(reason:)`` also at stop).
extension DistributedHerder {
    /// The task configs of connector `name` from its current config (cached per
    /// config). The caller holds `lock`.
    func taskConfigsLocked(of name: String) -> [[String: String]] {
        guard let raw = state.configs.connectors[name] else { return [] }
        if let cached = state.taskConfigCache[name], cached.config == raw { return cached.tasks }
        var settings = (try? resolver.resolve(raw)) ?? raw
        settings["name"] = name
        var tasks: [[String: String]] = []
        if let checked = try? ConnectorValidation.check(settings, registry: registry), checked.problems.isEmpty,
            let connector = checked.connector {
            do {
                try connector.start(config: settings)
                tasks = connector.taskConfigs(maxTasks: Int(settings["tasks.max"] ?? "1") ?? 1)
                connector.stop()
            } catch {
                tasks = []
            }
        }
        state.taskConfigCache[name] = (raw, tasks)
        return tasks
    }

    /// How many tasks connector `name` has. The caller holds `lock`.
    func taskCount(of name: String) -> Int { taskConfigsLocked(of: name).count }

    /// Applies a new assignment: stops what was revoked, starts what is new.
    func apply(_ assignment: WorkerAssignment) {
        let (previous, runningIDs) = lock.withLock { (state.assignment, Set(state.tasks.keys)) }
        let keep = Set(assignment.tasks)
        let toStop = runningIDs.filter { !keep.contains($0) }.sorted()
        stopTasks(toStop, status: nil)
        if !toStop.isEmpty { flushOffsets() }
        let runningConnectors = Set(lock.withLock { state.tasks.keys.map(\.connector) })
        for connector in Set(toStop.map(\.connector)) where !runningConnectors.contains(connector) {
            offsets.release(connector: connector)
        }
        // The previous owner's last flush must be read before a moved task resumes.
        let newTasks = assignment.tasks.filter { !runningIDs.contains($0) }
        if !newTasks.isEmpty {
            // Offsets this worker set or recorded earlier only win while it runs the
            // connector's tasks; for a connector it now picks up, the topic decides.
            let active = Set(lock.withLock { state.tasks.keys.map(\.connector) })
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
        if !assignment.revokedTasks.isEmpty || !assignment.revokedConnectors.isEmpty {
            member.requestRejoin()
        }
        log("generation \(lock.withLock { state.generation }): running \(lock.withLock { state.tasks.count }) tasks (\(newTasks.count) new, \(toStop.count) stopped)")
    }

    /// The state a connector this worker owns reports.
    func connectorState(_ name: String) -> String {
        let (target, exists, failed) = lock.withLock {
            (state.configs.targetState(of: name), state.configs.connectors[name] != nil, taskCount(of: name) == 0)
        }
        guard exists else { return "UNASSIGNED" }
        switch target {
        case .paused: return "PAUSED"
        case .stopped: return "STOPPED"
        case .started: return failed ? "FAILED" : "RUNNING"
        }
    }

    /// Reacts to a config topic record.
    func handle(_ change: ClusterConfigState.Change) {
        let (isLeader, owned, ownedConnectors) = lock.withLock {
            (state.isLeader, Set(state.assignment?.tasks ?? []), Set(state.assignment?.connectors ?? []))
        }
        switch change {
        case let .connectorConfig(name):
            // Tasks of a changed connector restart with the new config; the leader
            // rebalances in case the number of tasks changed.
            let mine = lock.withLock { state.tasks.keys.filter { $0.connector == name } }
            for id in mine.sorted() { restartTask(id) }
            if ownedConnectors.contains(name) { writeStatus([connectorStatusRecord(name, connectorState(name))]) }
            if isLeader { member.requestRejoin() }
        case let .connectorDeleted(name):
            let mine = lock.withLock { state.tasks.keys.filter { $0.connector == name } }
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
                stopTasks(mine, status: "PAUSED")
            case .started:
                for id in mine where lock.withLock({ state.tasks[id] == nil }) { startTask(id) }
            case .stopped:
                // Offsets may be altered once every task has stopped: flush first,
                // then say so (``alterOffsets`` waits for these statuses).
                stopTasks(mine, status: nil)
                flushOffsets()
                writeStatus(mine.map { taskStatusRecord($0, "UNASSIGNED") })
            }
            if ownedConnectors.contains(name) { writeStatus([connectorStatusRecord(name, connectorState(name))]) }
            // Pausing keeps the tasks assigned; only stopping or restarting from
            // STOPPED changes the set of tasks, so only that needs a rebalance.
            if isLeader && (target == .stopped || previous == .stopped) { member.requestRejoin() }
        case let .restartConnector(name, includeTasks, onlyFailed):
            if ownedConnectors.contains(name) {
                let current = lock.withLock { state.statuses.connectors[name]?.state }
                if !onlyFailed || current == "FAILED" {
                    lock.withLock { state.taskConfigCache[name] = nil }
                    writeStatus([connectorStatusRecord(name, "RESTARTING"), connectorStatusRecord(name, connectorState(name))])
                }
            }
            if includeTasks {
                for id in owned.filter({ $0.connector == name }).sorted() {
                    let current = lock.withLock { state.statuses.tasks[id]?.state }
                    if !onlyFailed || current == "FAILED" { restartTask(id) }
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
        stopTasks([id], status: "RESTARTING")
        lock.withLock {
            state.restarts[id] = nil
            state.reportedFailures.remove(id)
        }
        startTask(id)
    }

    /// Starts task `id` if its connector is running; a failure marks it FAILED.
    func startTask(_ id: ConnectorTaskID) {
        let (raw, target, taskConfigs) = lock.withLock {
            (state.configs.connectors[id.connector], state.configs.targetState(of: id.connector), taskConfigsLocked(of: id.connector))
        }
        guard raw != nil else { return }
        if target == .paused {
            writeStatus([taskStatusRecord(id, "PAUSED")])
            return
        }
        guard target == .started else { return }
        do {
            guard id.task < taskConfigs.count else {
                throw RuntimeError.invalidConfig(name: "tasks.max", value: String(id.task), reason: "the connector made only \(taskConfigs.count) tasks")
            }
            let taskConfig = try resolver.resolve(taskConfigs[id.task])
            let className = taskConfig["connector.class"] ?? raw?["connector.class"] ?? ""
            let cpu = config.base.cpus.cpu(forThread: threadIndex)
            threadIndex += 1
            let task: RunningTask
            switch try registry.factory(for: className) {
            case let .source(make):
                var settings = SourceTaskRunner.Settings()
                settings.taskCPU = cpu
                let context = TaskContext(
                    connectorName: id.connector, taskID: id.task, config: taskConfig,
                    offsets: offsets.offsets(of: id.connector))
                let runner = try SourceTaskRunner(
                    task: make().makeTask(), context: context, topic: taskConfig["topic"] ?? id.connector,
                    producerConfiguration: config.base.producer, settings: settings, offsets: offsets)
                try runner.start()
                task = .source(runner)
            case let .sink(make):
                var settings = SinkTaskRunner.Settings()
                settings.taskCPU = cpu
                settings.flushIntervalMs = config.base.flushIntervalMs
                let topics = (taskConfig["topics"] ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
                let context = TaskContext(connectorName: id.connector, taskID: id.task, config: taskConfig)
                let runner = try SinkTaskRunner(
                    task: make().makeTask(), context: context, topics: topics,
                    consumerConfiguration: config.base.consumer, settings: settings)
                try runner.start()
                task = .sink(runner)
            }
            lock.withLock { state.tasks[id] = task }
            metrics.register(id, task)
            writeStatus([taskStatusRecord(id, "RUNNING")])
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
        writeStatus([taskStatusRecord(id, "FAILED", trace: text)])
    }

    /// Notices tasks that failed or ended, and retries failed ones when due.
    func superviseTasks() {
        let ended = lock.withLock { state.tasks.filter { $0.value.state == .failed || $0.value.state == .stopped } }
        for (id, task) in ended.sorted(by: { $0.key < $1.key }) {
            task.join()
            lock.withLock { _ = state.tasks.removeValue(forKey: id) }
            metrics.unregister(id)
            if task.state == .failed {
                failed(id, trace: task.error.map { "\($0)" } ?? "failed")
            } else {
                writeStatus([taskStatusRecord(id, "STOPPED")])
            }
        }
        let now = MonotonicClock.nanoseconds()
        let due = lock.withLock { () -> [ConnectorTaskID] in
            let owned = Set(state.assignment?.tasks ?? [])
            return state.restarts.filter { entry in
                guard let at = entry.value.due else { return false }
                return at <= now && owned.contains(entry.key) && state.tasks[entry.key] == nil
            }.map(\.key).sorted()
        }
        for id in due {
            lock.withLock { state.restarts[id]?.due = nil }
            writeStatus([taskStatusRecord(id, "RESTARTING")])
            startTask(id)
        }
    }

    /// Stops `ids` (in-flight records are delivered), optionally recording `status`.
    func stopTasks(_ ids: [ConnectorTaskID], status: String?) {
        let tasks = lock.withLock { ids.compactMap { id in state.tasks.removeValue(forKey: id).map { (id, $0) } } }
        for (_, task) in tasks { task.stop() }
        for (id, task) in tasks {
            task.join()
            metrics.unregister(id)
        }
        if let status { writeStatus(ids.map { taskStatusRecord($0, status) }) }
    }

    /// Stops every task this worker runs.
    func stopAllTasks(reason: String) {
        let ids = lock.withLock { Array(state.tasks.keys).sorted() }
        guard !ids.isEmpty else { return }
        log("stopping \(ids.count) tasks: \(reason)")
        stopTasks(ids, status: nil)
        flushOffsets()
        lock.withLock { state.assignment = nil }
    }
}
