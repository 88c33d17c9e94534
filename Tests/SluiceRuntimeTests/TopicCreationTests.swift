import Foundation
import SluiceKafka
@testable import SluiceRuntime
import Synchronization
import Testing

/// KIP-158's `topic.creation.*`: which group a topic takes, what is refused, and
/// what a source task does on a cluster that does not serve CreateTopics.
@Suite("topic.creation")
struct TopicCreationTests {
    static let grouped: [String: String] = [
        "topic.creation.groups": "compacted, big",
        "topic.creation.default.replication.factor": "3", "topic.creation.default.partitions": "-1",
        "topic.creation.default.compression.type": "lz4",
        "topic.creation.compacted.include": "status-.*, config-.*", "topic.creation.compacted.exclude": "config-old",
        "topic.creation.compacted.partitions": "1", "topic.creation.compacted.cleanup.policy": "compact",
        "topic.creation.big.include": ".*-events", "topic.creation.big.replication.factor": "2", "topic.creation.big.partitions": "24",
    ]

    @Test("a topic takes the first listed group that includes and does not exclude it, else default; missing numbers come from default")
    func groups() throws {
        let settings = try #require(TopicCreationSettings(config: Self.grouped, workerEnabled: true))
        let status = settings.group(for: "status-a")
        #expect(status.name == "compacted")
        #expect(status.partitions == 1 && status.replicationFactor == 3, "the replication factor comes from default")
        #expect(status.configs == ["cleanup.policy": "compact"], "a group's topic configs are its own")
        #expect(settings.group(for: "config-old").name == "default", "excluded")
        #expect(settings.group(for: "xstatus-a").name == "default", "patterns match whole names")
        let big = settings.group(for: "click-events")
        #expect(big.name == "big" && big.partitions == 24 && big.replicationFactor == 2)
        let other = settings.group(for: "other")
        #expect(other == settings.defaultGroup)
        #expect(other.partitions == -1 && other.configs == ["compression.type": "lz4"])
    }

    @Test("creation is off without the default replication factor and partitions, or with the worker's topic.creation.enable=false")
    func off() {
        #expect(TopicCreationSettings(config: Self.grouped, workerEnabled: false) == nil)
        #expect(TopicCreationSettings(config: ["topic.creation.default.partitions": "3"], workerEnabled: true) == nil)
        #expect(TopicCreationSettings(config: [:], workerEnabled: true) == nil)
    }

    @Test("bad settings are reported: a missing default, 0 or text for a number, a group without include, 'default' listed, a bad pattern")
    func problems() {
        #expect(TopicCreationSettings.problems(in: Self.grouped).isEmpty)
        #expect(TopicCreationSettings.problems(in: [:]).isEmpty, "no topic.creation settings, nothing to check")
        let bad = TopicCreationSettings.problems(in: [
            "topic.creation.groups": "default, g, h",
            "topic.creation.default.replication.factor": "0",
            "topic.creation.g.partitions": "many", "topic.creation.h.include": "([", "topic.creation.h.replication.factor": "-1",
        ])
        let names = Set(bad.map(\.name))
        #expect(names == [
            "topic.creation.groups", "topic.creation.default.replication.factor", "topic.creation.default.partitions",
            "topic.creation.g.include", "topic.creation.g.partitions", "topic.creation.h.include",
        ], "\(bad)")
        let check = try? ConnectorValidation.check(
            ["connector.class": "numbers", "name": "n", "topic": "t", "topic.creation.default.partitions": "3"], registry: .testing)
        #expect(check?.problems.map(\.name) == ["topic.creation.default.replication.factor"])
    }

    final class Lines: @unchecked Sendable {
        let lines = Mutex<[String]>([])
    }

    @Test("on the embedded cluster, which has no CreateTopics, the task says so once and its records reach the auto-created topic")
    func notServed() throws {
        let cluster = try EmbeddedKafka()
        let log = Lines()
        func worker(_ extra: [String: String]) throws -> Worker {
            var properties = ["bootstrap.servers": cluster.bootstrapServers, "producer.log_level": "0"]
            for (key, value) in extra { properties[key] = value }
            return Worker(
                settings: Worker.Settings(config: try WorkerConfig(properties: properties)), registry: .testing, offsets: nil,
                log: { line in log.lines.withLock { $0.append(line) } })
        }
        let config = [
            "connector.class": "numbers", "count": "300", "topic": "created",
            "topic.creation.default.replication.factor": "1", "topic.creation.default.partitions": "3",
        ]
        let runner = try #require(try worker([:]).startTask(.init(connector: "c", task: 0), config: config) as? SourceTaskRunner)
        runner.join()
        #expect(runner.state == .stopped, "\(String(describing: runner.error))")
        #expect(runner.deliveryStatistics.delivered == 300)
        #expect(runner.topicCreationRequests == 1, "tried once, not for every batch")
        let lines = log.lines.withLock { $0 }
        #expect(lines.count == 1 && lines.first?.contains("does not serve CreateTopics") == true, "\(lines)")

        let disabled = try #require(
            try worker(["topic.creation.enable": "false"]).startTask(.init(connector: "d", task: 0), config: config) as? SourceTaskRunner)
        disabled.join()
        #expect(disabled.deliveryStatistics.delivered == 300)
        #expect(disabled.topicCreationRequests == 0, "the worker turned creation off")
    }
}
