import SluiceKafka
@testable import SluiceRuntime
import Testing

/// Task config records in the config topic: written by the leader, in force only
/// with their commit, read the same way by every worker.
@Suite("Task configs in the config topic")
struct ClusterConfigStateTests {
    /// A config topic replayed record by record.
    struct Replay {
        var state = ClusterConfigState()
        var offset: Int64 = 0

        mutating func apply(_ message: MessageProducer.Message) -> ClusterConfigState.Change {
            defer { offset += 1 }
            return state.apply(TopicReader.Entry(partition: 0, offset: offset, key: message.key, value: message.value))
        }

        mutating func apply(_ messages: [MessageProducer.Message]) -> [ClusterConfigState.Change] {
            messages.map { apply($0) }
        }

        mutating func raw(_ key: String, _ value: String?) -> ClusterConfigState.Change {
            apply(MessageProducer.Message(topic: "c", partition: 0, key: Array(key.utf8), value: value.map { Array($0.utf8) }))
        }
    }

    let tasks: [[String: String]] = [["files": "a.txt", "topic": "t"], ["files": "b.txt", "topic": "t"]]

    @Test("task configs take effect with their commit, and a connector name may contain dashes")
    func committed() {
        var replay = Replay()
        _ = replay.apply(ClusterConfigState.connectorRecord(topic: "c", name: "my-conn-2", config: ["tasks.max": "2"]))
        #expect(!replay.state.taskConfigsAreCurrent("my-conn-2"))
        let changes = replay.apply(ClusterConfigState.taskConfigRecords(topic: "c", name: "my-conn-2", tasks: tasks))
        #expect(changes == [.none, .none, .taskConfigs("my-conn-2", previous: [])], "nothing is in force before the commit")
        #expect(replay.state.taskConfigs["my-conn-2"] == tasks)
        #expect(replay.state.taskConfigsAreCurrent("my-conn-2"))
        _ = replay.apply(ClusterConfigState.connectorRecord(topic: "c", name: "my-conn-2", config: ["tasks.max": "1"]))
        #expect(!replay.state.taskConfigsAreCurrent("my-conn-2"), "a new config makes the stored task configs stale until the next commit")
        #expect(replay.apply(ClusterConfigState.taskConfigRecords(topic: "c", name: "my-conn-2", tasks: [tasks[0]])).last
                == .taskConfigs("my-conn-2", previous: tasks))
        #expect(replay.state.taskConfigs["my-conn-2"] == [tasks[0]], "a shrinking task set replaces the old one whole")
        #expect(replay.apply(ClusterConfigState.deletionRecord(topic: "c", name: "my-conn-2")) == .connectorDeleted("my-conn-2"))
        #expect(replay.state.taskConfigs["my-conn-2"] == nil)
    }

    @Test("an unreadable task config record is skipped: the previous set stays in force and the problem is named")
    func unreadableTaskConfig() {
        var replay = Replay()
        _ = replay.apply(ClusterConfigState.taskConfigRecords(topic: "c", name: "conn", tasks: tasks))
        _ = replay.raw("task-conn-0", #"{"properties": {"files": "new.txt"}}"#)
        _ = replay.raw("task-conn-1", "this is not JSON")
        #expect(replay.raw("commit-conn", #"{"tasks": 2}"#) == .inconsistentTaskConfigs("conn"))
        #expect(replay.state.taskConfigs["conn"] == tasks, "the tasks keep running with the last good set")
        #expect(replay.state.taskConfigProblems["conn"]?.contains("task 1") == true)
        #expect(replay.state.taskConfigProblems["conn"]?.contains("offset 4") == true)
        // The leader writes a good set: the problem is gone.
        #expect(replay.apply(ClusterConfigState.taskConfigRecords(topic: "c", name: "conn", tasks: [tasks[1]])).last
                == .taskConfigs("conn", previous: tasks))
        #expect(replay.state.taskConfigProblems["conn"] == nil)
    }

    @Test("a commit naming tasks that were never written, or no count, is not used")
    func incompleteCommit() {
        var replay = Replay()
        _ = replay.raw("task-conn-0", #"{"properties": {"files": "a.txt"}}"#)
        #expect(replay.raw("commit-conn", #"{"tasks": 3}"#) == .inconsistentTaskConfigs("conn"))
        #expect(replay.state.taskConfigs["conn"] == nil)
        #expect(replay.state.taskConfigProblems["conn"]?.contains("tasks 1, 2 were not written") == true)
        #expect(replay.raw("commit-conn", #"{"count": 1}"#) == .inconsistentTaskConfigs("conn"))
        #expect(replay.state.taskConfigProblems["conn"]?.contains("no task count") == true)
    }

    @Test("values a connector copied from a resolved reference are stored as the reference")
    func referencesRestored() {
        let raw = ["connection.password": "${env:DB_PW}", "url": "db", "prefix": "${env:PREFIX}-x"]
        let resolved = ["connection.password": "hunter2", "url": "db", "prefix": "p-x"]
        let task = ["connection.password": "hunter2", "url": "db", "prefix": "p-x-0", "table": "t1"]
        let stored = SecretResolver.restoringReferences(in: task, raw: raw, resolved: resolved)
        #expect(stored == ["connection.password": "${env:DB_PW}", "url": "db", "prefix": "p-x-0", "table": "t1"])
    }
}
