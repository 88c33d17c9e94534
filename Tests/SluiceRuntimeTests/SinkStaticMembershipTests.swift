import Foundation
import SluiceCore
import SluiceKafka
import Testing

@testable import SluiceRuntime

@Suite("Static membership of sink tasks (group.instance.id)")
struct SinkStaticMembershipTests {
    @Test("each task of a worker joins under its own id, derived from the worker's, and together they hold every partition")
    func distinctIDs() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("static", partitions: 4)
        var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        config["log_level"] = "0"
        config["group.instance.id"] = "worker-a"
        let runners = try (0..<2).map { task in
            try SinkTaskRunner(
                task: TopicRecordingSink(), context: TaskContext(connectorName: "files", taskID: task, config: [:]),
                topics: ["static"], consumerConfiguration: config)
        }
        #expect(runners.map(\.groupInstanceID) == ["worker-a-files-0", "worker-a-files-1"])
        for runner in runners { try runner.start() }
        defer {
            for runner in runners { runner.stop() }
            for runner in runners { runner.join() }
        }
        // Two members with one shared id would fence each other; with their own ids both run.
        // 60 s: alone this takes seconds, but in the full suite on 2 cores one run needed more than 30.
        #expect(eventuallyTrue(seconds: 60) { runners.allSatisfy { $0.state == .running } && runners.map(\.assignedPartitions).reduce(0, +) == 4 })
        #expect(runners.allSatisfy { $0.state == .running })
    }

    @Test("without the setting a task has no static id")
    func noID() throws {
        let cluster = try EmbeddedKafka()
        var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        config["log_level"] = "0"
        let runner = try SinkTaskRunner(
            task: TopicRecordingSink(), context: TaskContext(connectorName: "files", taskID: 0, config: [:]),
            topics: ["static"], consumerConfiguration: config)
        #expect(runner.groupInstanceID == nil)
    }

    private func eventuallyTrue(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(100_000)
        }
        return condition()
    }
}
