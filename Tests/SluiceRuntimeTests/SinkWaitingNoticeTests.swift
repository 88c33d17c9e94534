import Foundation
import SluiceCore
import SluiceKafka
import Synchronization
import Testing

@testable import SluiceRuntime

@Suite("A sink task without partitions says what it waits for")
struct SinkWaitingNoticeTests {
    final class Lines: @unchecked Sendable {
        let lines = Mutex<[String]>([])
    }

    @Test("while another member of its group holds the only partition, the task says so once, naming the group and the session timeout; then that it got partitions")
    func waitingNotice() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("held", partitions: 1)
        var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        config["log_level"] = "0"
        config["session.timeout.ms"] = "6000"
        config["heartbeat.interval.ms"] = "500"
        // Another member of the sink's group takes the topic's only partition first.
        var holderConfig = config
        holderConfig["group.id"] = "connect-waiting"
        var holding: Consumer? = try Consumer(configuration: holderConfig)
        try holding!.subscribe(topics: ["held"])
        let scratch = ConsumedBatch(capacity: 10)
        let deadline = MonotonicClock.nanoseconds() + 30_000_000_000
        while holding!.assignedPartitionCount() == 0 && MonotonicClock.nanoseconds() < deadline {
            _ = try holding!.poll(into: scratch, timeoutMs: 100)
        }
        #expect(holding!.assignedPartitionCount() == 1)

        let log = Lines()
        var settings = SinkTaskRunner.Settings()
        settings.waitingNoticeMs = 1_500
        settings.log = { line in log.lines.withLock { $0.append(line) } }
        let runner = try SinkTaskRunner(
            task: TopicRecordingSink(), context: TaskContext(connectorName: "waiting", taskID: 0, config: [:]),
            topics: ["held"], consumerConfiguration: config, settings: settings)
        try runner.start()
        defer {
            runner.stop()
            runner.join()
        }
        // Keep the holder in the group (polling) while the sink waits.
        let noticed = MonotonicClock.nanoseconds() + 20_000_000_000
        while log.lines.withLock({ $0.isEmpty }) && MonotonicClock.nanoseconds() < noticed {
            _ = try holding!.poll(into: scratch, timeoutMs: 100)
        }
        let lines = log.lines.withLock { $0 }
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.contains("no partitions assigned") == true)
        #expect(lines.first?.contains("'connect-waiting'") == true && lines.first?.contains("session.timeout.ms=6000") == true, "\(lines)")
        // The holder leaves the group (closed when released): the sink gets the
        // partition and says so.
        holding = nil
        let assigned = MonotonicClock.nanoseconds() + 30_000_000_000
        while log.lines.withLock({ $0.count < 2 }) && MonotonicClock.nanoseconds() < assigned { usleep(100_000) }
        #expect(log.lines.withLock { $0.last?.contains("partitions assigned after") == true }, "\(log.lines.withLock { $0 })")
    }
}
