/// What a distributed herder reacts to: a record of the config topic, or a new
/// assignment from the group's leader.
enum HerderEvent: Equatable {
    /// A config topic record changed the cluster's configs.
    case configChanged(ClusterConfigState.Change)
    /// The leader gave this worker a new assignment.
    case assigned(WorkerAssignment)
}

/// What the herder knows when it decides: a snapshot taken under its lock.
struct HerderView {
    /// Whether this worker leads the group.
    var isLeader: Bool
    /// The assignment in force before the event.
    var assignment: WorkerAssignment?
    /// The tasks this worker's ``Worker`` runs now.
    var running: Set<ConnectorTaskID>
    /// The cluster's configs (after the event's record was applied).
    var configs: ClusterConfigState
    /// Every connector's and task's latest status, from the status topic.
    var statuses: ClusterStatus

    var ownedTasks: Set<ConnectorTaskID> { Set(assignment?.tasks ?? []) }
    var ownedConnectors: Set<String> { Set(assignment?.connectors ?? []) }
}

/// One thing the herder does, in the order a plan lists them.
enum HerderAction: Equatable {
    /// Stop these tasks, recording `status` for them if given.
    case stopTasks([ConnectorTaskID], status: StatusState?)
    /// Start this task from its stored config.
    case startTask(ConnectorTaskID)
    /// Stop this task and start it again from its stored config.
    case restartTask(ConnectorTaskID)
    /// Record `state` for these tasks.
    case writeTaskStatuses([ConnectorTaskID], StatusState)
    /// Delete these tasks' statuses (tombstones).
    case deleteTaskStatuses([ConnectorTaskID])
    /// Delete this connector's status (a tombstone).
    case deleteConnectorStatus(String)
    /// Forget the topics a deleted connector used (tombstones in the status topic).
    case resetActiveTopics(String)
    /// Record the connector's state (`state`, or the one its config gives when nil).
    case reportConnector(String, state: StatusState?, trace: String?)
    /// Forget the task configs this worker computed for the connector.
    case forgetComputedTaskConfigs(String)
    /// The leader computes the connector's task configs and stores them (always after
    /// a config change; otherwise only when they differ or the stored ones are unusable).
    case storeTaskConfigs(String, always: Bool)
    /// The leader stores task configs for every running connector that has none.
    case storeMissingTaskConfigs
    /// Flush the source offsets recorded so far.
    case flushOffsets
    /// Forget offsets this worker set for the connector: the offset topic decides.
    case releaseOffsets(String)
    /// Read the offset topic to its end.
    case readOffsets
    /// Put the assignment in force (the rebalance is over).
    case adopt(WorkerAssignment)
    /// Ask the group for a rebalance.
    case requestRejoin
    /// Log a line.
    case log(String)
}

/// The distributed herder's decisions as a pure function: an event and a snapshot
/// in, the actions to take out, in order. No I/O happens here, so every rule is
/// tested as a table (`HerderPlanTests`), like ``IncrementalAssignor``.
enum HerderPlan {
    /// The actions `event` calls for on a worker that sees `view`.
    static func actions(for event: HerderEvent, in view: HerderView) -> [HerderAction] {
        switch event {
        case let .configChanged(change): return actions(for: change, in: view)
        case let .assigned(assignment): return actions(for: assignment, in: view)
        }
    }

    private static func mine(_ name: String, in tasks: some Collection<ConnectorTaskID>) -> [ConnectorTaskID] {
        tasks.filter { $0.connector == name }.sorted()
    }

    private static func actions(for change: ClusterConfigState.Change, in view: HerderView) -> [HerderAction] {
        var actions: [HerderAction] = []
        switch change {
        case let .connectorConfig(name):
            // The leader turns the new config into task configs; tasks restart when
            // those are stored (`.taskConfigs`).
            if view.ownedConnectors.contains(name) { actions.append(.reportConnector(name, state: nil, trace: nil)) }
            if view.isLeader { actions.append(.storeTaskConfigs(name, always: true)) }
        case let .taskConfigs(name, previous):
            // A new task set is in force: tasks whose config changed restart with it;
            // tasks past the new count stop (the leader's rebalance revokes them);
            // the leader rebalances when the count changed.
            let current = view.configs.targetState(of: name) == .stopped ? [] : view.configs.taskConfigs[name] ?? []
            let running = mine(name, in: view.running)
            let gone = running.filter { $0.task >= current.count }
            if !gone.isEmpty { actions += [.stopTasks(gone, status: nil), .deleteTaskStatuses(gone)] }
            for id in running where id.task < current.count && (id.task >= previous.count || previous[id.task] != current[id.task]) {
                actions.append(.restartTask(id))
            }
            if view.isLeader && previous.count != current.count { actions.append(.requestRejoin) }
        case let .inconsistentTaskConfigs(name):
            let problem = view.configs.taskConfigProblems[name] ?? "unknown"
            actions.append(.log("connector \(ConnectorName.escaped(name)): stored task configs skipped: \(problem)"))
            if view.ownedConnectors.contains(name) {
                actions.append(.reportConnector(name, state: nil, trace: "stored task configs skipped: \(problem)"))
            }
            if view.isLeader { actions.append(.storeTaskConfigs(name, always: false)) }
        case let .connectorDeleted(name):
            let running = mine(name, in: view.running)
            if !running.isEmpty { actions.append(.stopTasks(running, status: nil)) }
            actions.append(.forgetComputedTaskConfigs(name))
            // After this worker's tasks stopped, so none of them records a topic again.
            if !running.isEmpty || view.ownedConnectors.contains(name) { actions.append(.resetActiveTopics(name)) }
            if view.ownedConnectors.contains(name) {
                actions.append(.deleteConnectorStatus(name))
                let known = mine(name, in: view.statuses.tasks.keys)
                if !known.isEmpty { actions.append(.deleteTaskStatuses(known)) }
            }
            if view.isLeader { actions.append(.requestRejoin) }
        case let .targetState(name, previous):
            let target = view.configs.targetState(of: name)
            let owned = mine(name, in: view.ownedTasks)
            switch target {
            case .paused:
                if !owned.isEmpty { actions.append(.stopTasks(owned, status: .paused)) }
            case .started:
                actions += owned.filter { !view.running.contains($0) }.map { .startTask($0) }
            case .stopped:
                // Offsets may be altered once every task has stopped: flush first, then
                // say so (`alterOffsets` waits for these statuses).
                if !owned.isEmpty {
                    actions += [.stopTasks(owned, status: nil), .flushOffsets, .writeTaskStatuses(owned, .unassigned)]
                }
            }
            if view.ownedConnectors.contains(name) { actions.append(.reportConnector(name, state: nil, trace: nil)) }
            // Pausing keeps the tasks assigned; only stopping or restarting from
            // STOPPED changes the set of tasks, so only that needs a rebalance.
            if view.isLeader && (target == .stopped || previous == .stopped) { actions.append(.requestRejoin) }
        case let .restartConnector(name, includeTasks, onlyFailed):
            let ownerRestarts = view.ownedConnectors.contains(name) && (!onlyFailed || view.statuses.connectors[name]?.state == .failed)
            // A restarted connector makes its task configs anew (a glob may match other
            // files now); the leader stores them if they changed.
            if ownerRestarts || view.isLeader { actions.append(.forgetComputedTaskConfigs(name)) }
            if ownerRestarts {
                actions += [.reportConnector(name, state: .restarting, trace: nil), .reportConnector(name, state: nil, trace: nil)]
            }
            if view.isLeader { actions.append(.storeTaskConfigs(name, always: false)) }
            if includeTasks {
                for id in mine(name, in: view.ownedTasks) where !onlyFailed || view.statuses.tasks[id]?.state == .failed {
                    actions.append(.restartTask(id))
                }
            }
        case let .restartTask(id):
            if view.ownedTasks.contains(id) { actions.append(.restartTask(id)) }
        case .none:
            break
        }
        return actions
    }

    private static func actions(for assignment: WorkerAssignment, in view: HerderView) -> [HerderAction] {
        var actions: [HerderAction] = []
        let keep = Set(assignment.tasks)
        let toStop = view.running.filter { !keep.contains($0) }.sorted()
        let stillRunning = view.running.subtracting(toStop)
        if !toStop.isEmpty {
            actions += [.stopTasks(toStop, status: nil), .flushOffsets]
            let runningConnectors = Set(stillRunning.map(\.connector))
            for connector in Set(toStop.map(\.connector)).sorted() where !runningConnectors.contains(connector) {
                actions.append(.releaseOffsets(connector))
            }
        }
        // The previous owner's last flush must be read before a moved task resumes.
        // Offsets this worker set or recorded earlier only win while it runs the
        // connector's tasks; for a connector it now picks up, the topic decides.
        let newTasks = assignment.tasks.filter { !view.running.contains($0) }
        if !newTasks.isEmpty {
            let active = Set(stillRunning.map(\.connector))
            for connector in Set(newTasks.map(\.connector)).sorted() where !active.contains(connector) {
                actions.append(.releaseOffsets(connector))
            }
            actions.append(.readOffsets)
        }
        let oldConnectors = view.ownedConnectors
        for name in assignment.connectors where !oldConnectors.contains(name) {
            actions.append(.reportConnector(name, state: nil, trace: nil))
        }
        actions.append(.adopt(assignment))
        actions += newTasks.map { .startTask($0) }
        if view.isLeader { actions.append(.storeMissingTaskConfigs) }
        if !assignment.revokedTasks.isEmpty || !assignment.revokedConnectors.isEmpty { actions.append(.requestRejoin) }
        actions.append(.log("running \(stillRunning.count + newTasks.count) tasks (\(newTasks.count) new, \(toStop.count) stopped)"))
        return actions
    }
}
