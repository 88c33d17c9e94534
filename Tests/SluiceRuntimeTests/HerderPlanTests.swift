import SluiceKafka
@testable import SluiceRuntime
import Testing

/// The distributed herder's decisions, as a table: an event and a view in, actions out.
@Suite("HerderPlan: what a distributed worker does on each event")
struct HerderPlanTests {
    static func id(_ connector: String, _ task: Int) -> ConnectorTaskID { ConnectorTaskID(connector: connector, task: task) }

    /// A config state built from config-topic records.
    static func configs(_ messages: [MessageProducer.Message]) -> ClusterConfigState {
        var state = ClusterConfigState()
        for (offset, message) in messages.enumerated() {
            _ = state.apply(TopicReader.Entry(partition: 0, offset: Int64(offset), key: message.key, value: message.value))
        }
        return state
    }

    static func assignment(tasks: [ConnectorTaskID], connectors: [String] = [], revoked: [ConnectorTaskID] = []) -> WorkerAssignment {
        WorkerAssignment(
            leader: "l", leaderURL: "http://l/", configOffset: 0, connectors: connectors, tasks: tasks,
            revokedConnectors: [], revokedTasks: revoked)
    }

    static func view(
        leader: Bool = false, owned: [ConnectorTaskID] = [], connectors: [String] = [], running: [ConnectorTaskID] = [],
        configs: ClusterConfigState = ClusterConfigState(), statuses: ClusterStatus = ClusterStatus()
    ) -> HerderView {
        HerderView(
            isLeader: leader, assignment: assignment(tasks: owned, connectors: connectors), running: Set(running),
            configs: configs, statuses: statuses)
    }

    let task = ["topic": "t"]

    @Test("a changed config: the owner reports, the leader stores task configs; nothing restarts yet")
    func connectorConfig() {
        let change = ClusterConfigState.Change.connectorConfig("c")
        #expect(HerderPlan.actions(for: .configChanged(change), in: Self.view(leader: true, connectors: ["c"], running: [Self.id("c", 0)]))
            == [.reportConnector("c", state: nil, trace: nil), .storeTaskConfigs("c", always: true)])
        #expect(HerderPlan.actions(for: .configChanged(change), in: Self.view(running: [Self.id("c", 0)])) == [])
    }

    @Test("new task configs: changed tasks restart, tasks past a shrunken count stop, the leader rebalances on a new count")
    func taskConfigs() {
        let old = [["f": "a"], ["f": "b"], ["f": "c"]]
        let new = [["f": "a"], ["f": "B"]]
        let configs = Self.configs(ClusterConfigState.taskConfigRecords(topic: "c", name: "c", tasks: new))
        let running = [Self.id("c", 0), Self.id("c", 1), Self.id("c", 2), Self.id("other", 0)]
        let actions = HerderPlan.actions(
            for: .configChanged(.taskConfigs("c", previous: old)), in: Self.view(leader: true, running: running, configs: configs))
        #expect(actions == [
            .stopTasks([Self.id("c", 2)], status: nil), .deleteTaskStatuses([Self.id("c", 2)]),
            .restartTask(Self.id("c", 1)), .requestRejoin,
        ])
        let same = HerderPlan.actions(
            for: .configChanged(.taskConfigs("c", previous: new)), in: Self.view(leader: true, running: [Self.id("c", 0), Self.id("c", 1)], configs: configs))
        #expect(same == [], "identical task configs restart nothing and need no rebalance")
    }

    @Test("unusable stored task configs: logged, the owner's status says why, the leader writes good ones")
    func inconsistent() {
        var configs = Self.configs([])
        _ = configs.apply(TopicReader.Entry(partition: 0, offset: 0, key: Array("commit-c".utf8), value: Array(#"{"tasks": 2}"#.utf8)))
        let actions = HerderPlan.actions(for: .configChanged(.inconsistentTaskConfigs("c")), in: Self.view(leader: true, connectors: ["c"], configs: configs))
        #expect(actions.count == 3)
        #expect(actions.last == .storeTaskConfigs("c", always: false))
        guard case let .reportConnector("c", nil, trace?) = actions[1] else {
            Issue.record("no status report: \(actions)")
            return
        }
        #expect(trace.contains("were not written"))
    }

    @Test("a deleted connector: its tasks stop, its statuses and active topics go, the leader rebalances")
    func deleted() {
        var statuses = ClusterStatus()
        let record = ClusterStatus.taskRecord(topic: "s", task: Self.id("c", 3), status: StatusEntry(state: .running, workerID: "w", generation: 1))
        statuses.apply(TopicReader.Entry(partition: 0, offset: 0, key: record.key, value: record.value))
        let actions = HerderPlan.actions(
            for: .configChanged(.connectorDeleted("c")),
            in: Self.view(leader: true, connectors: ["c"], running: [Self.id("c", 1), Self.id("d", 0)], statuses: statuses))
        #expect(actions == [
            .stopTasks([Self.id("c", 1)], status: nil), .forgetComputedTaskConfigs("c"), .resetActiveTopics("c"), .deleteConnectorStatus("c"),
            .deleteTaskStatuses([Self.id("c", 3)]), .requestRejoin,
        ])
    }

    @Test("pause stops owned tasks as PAUSED; resume starts the ones not running; stop flushes and rebalances")
    func targetStates() {
        let owned = [Self.id("c", 0), Self.id("c", 1)]
        func actions(_ state: TargetState, previous: TargetState, running: [ConnectorTaskID]) -> [HerderAction] {
            let configs = Self.configs([ClusterConfigState.targetStateRecord(topic: "c", name: "c", state: state)])
            return HerderPlan.actions(
                for: .configChanged(.targetState("c", previous: previous)),
                in: Self.view(leader: true, owned: owned, connectors: ["c"], running: running, configs: configs))
        }
        #expect(actions(.paused, previous: .started, running: owned) == [.stopTasks(owned, status: .paused), .reportConnector("c", state: nil, trace: nil)])
        #expect(actions(.started, previous: .paused, running: [Self.id("c", 1)]) == [.startTask(Self.id("c", 0)), .reportConnector("c", state: nil, trace: nil)])
        #expect(actions(.stopped, previous: .started, running: owned) == [
            .stopTasks(owned, status: nil), .flushOffsets, .writeTaskStatuses(owned, .unassigned),
            .reportConnector("c", state: nil, trace: nil), .requestRejoin,
        ])
        #expect(actions(.started, previous: .stopped, running: []).last == .requestRejoin)
    }

    @Test("restarts: only failed units with onlyFailed, and only what this worker owns")
    func restarts() {
        var statuses = ClusterStatus()
        for (task, state) in [(0, StatusState.running), (1, .failed)] {
            let record = ClusterStatus.taskRecord(topic: "s", task: Self.id("c", task), status: StatusEntry(state: state, workerID: "w", generation: 1))
            statuses.apply(TopicReader.Entry(partition: 0, offset: Int64(task), key: record.key, value: record.value))
        }
        let view = Self.view(owned: [Self.id("c", 0), Self.id("c", 1)], running: [Self.id("c", 0)], statuses: statuses)
        #expect(HerderPlan.actions(for: .configChanged(.restartConnector("c", includeTasks: true, onlyFailed: true)), in: view)
            == [.restartTask(Self.id("c", 1))])
        #expect(HerderPlan.actions(for: .configChanged(.restartConnector("c", includeTasks: true, onlyFailed: false)), in: view)
            == [.restartTask(Self.id("c", 0)), .restartTask(Self.id("c", 1))])
        #expect(HerderPlan.actions(for: .configChanged(.restartTask(Self.id("c", 1))), in: view) == [.restartTask(Self.id("c", 1))])
        #expect(HerderPlan.actions(for: .configChanged(.restartTask(Self.id("c", 7))), in: view) == [])
    }

    @Test("an assignment: revoked tasks stop and flush, moved-in tasks read the offset topic first, the leader fills in task configs")
    func assigned() {
        let running = [Self.id("a", 0), Self.id("b", 0)]
        let next = Self.assignment(tasks: [Self.id("a", 0), Self.id("c", 0)], connectors: ["c"], revoked: [Self.id("b", 0)])
        let actions = HerderPlan.actions(for: .assigned(next), in: Self.view(leader: true, owned: running, running: running))
        #expect(Array(actions.dropLast()) == [
            .stopTasks([Self.id("b", 0)], status: nil), .flushOffsets, .releaseOffsets("b"),
            .releaseOffsets("c"), .readOffsets,
            .reportConnector("c", state: nil, trace: nil),
            .adopt(next), .startTask(Self.id("c", 0)), .storeMissingTaskConfigs, .requestRejoin,
        ])
        let follower = HerderPlan.actions(for: .assigned(Self.assignment(tasks: running)), in: Self.view(owned: running, running: running))
        #expect(Array(follower.dropLast()) == [.adopt(Self.assignment(tasks: running))], "an unchanged assignment only takes effect")
    }
}
