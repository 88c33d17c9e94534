import Foundation
import Testing

/// `sluice worker` refuses to start with a clear message, and leaves nothing running.
@Suite("sluice worker: start-up errors")
struct WorkerCommandErrorTests {
    private func run(_ properties: String) throws -> SluiceProcess.Outcome {
        let folder = try TemporaryFolder()
        try folder.write("worker.properties", properties)
        return try SluiceProcess.run(["worker", folder.file("worker.properties")], timeout: 60)
    }

    @Test("unreachable brokers")
    func unreachable() throws {
        let outcome = try run(WorkerProcess.properties(bootstrap: "127.0.0.1:1"))
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("cannot reach Kafka at 127.0.0.1:1"), "\(outcome.stderr)")
    }

    @Test("missing settings are all named")
    func missingSettings() throws {
        let outcome = try run("bootstrap.servers=127.0.0.1:9092\nsession.timeout.ms=soon\n")
        #expect(outcome.status != 0)
        for name in ["group.id", "config.storage.topic", "offset.storage.topic", "status.storage.topic", "session.timeout.ms"] {
            #expect(outcome.stderr.contains(name), "\(name) not named in: \(outcome.stderr)")
        }
    }

    @Test("a config topic with more than one partition is refused")
    func configTopicPartitions() throws {
        let broker = try BrokerProcess(topics: ["wide-configs:3"])
        let outcome = try run(WorkerProcess.properties(bootstrap: broker.bootstrapServers, extra: ["config.storage.topic": "wide-configs"]))
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("'wide-configs' supplied via config.storage.topic has 3 partitions"), "\(outcome.stderr)")
    }

    @Test("a missing internal topic on a cluster that cannot create topics is named, with the fix")
    func missingTopic() throws {
        let broker = try BrokerProcess(topics: [])
        let outcome = try run(WorkerProcess.properties(bootstrap: broker.bootstrapServers, extra: ["status.storage.topic": "my-status"]))
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("'my-status' supplied via status.storage.topic does not exist"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("sluice broker --topic my-status:5"), "\(outcome.stderr)")
    }

    @Test("exactly.once.source.support=enabled is refused at start: exactly-once is not supported yet")
    func exactlyOnceEnabled() throws {
        let outcome = try run(WorkerProcess.properties(bootstrap: "127.0.0.1:1", extra: ["exactly.once.source.support": "enabled"]))
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("exactly.once.source.support"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("exactly-once delivery is not supported by Sluice yet"), "\(outcome.stderr)")
    }

    @Test("an unresolvable secret reference names the setting")
    func badSecret() throws {
        let outcome = try run(WorkerProcess.properties(bootstrap: "127.0.0.1:1", extra: ["rest.auth.type": "bearer", "rest.auth.bearer.token": "${env:SLUICE_NO_SUCH_VARIABLE}"]))
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("rest.auth.bearer.token"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("SLUICE_NO_SUCH_VARIABLE is not set"), "\(outcome.stderr)")
    }

    @Test("SIGTERM while a task is FAILED: the worker stops within seconds and exits non-zero")
    func stopWithFailedTask() throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["f-out:1"])
        let worker = try WorkerProcess(
            folder: folder, name: "w",
            properties: WorkerProcess.properties(bootstrap: broker.bootstrapServers, extra: ["task.restart.max.attempts": "0"]))
        _ = try eventually(seconds: 30) {
            try RestClient.call("POST", worker.url + "connectors", json: [
                "name": "missing", "config": ["connector.class": "FileStreamSource", "file": folder.file("no-such-file"), "topic": "f-out"],
            ]).status == 201
        }
        let failed = try eventually(seconds: 30) {
            try RestClient.call("GET", worker.url + "connectors/missing/tasks/0/status").object["state"] as? String == "FAILED"
        }
        #expect(failed, "\(worker.log)")
        let sent = Date()
        worker.kill(SIGTERM)
        worker.process.waitUntilExit()
        #expect(Date().timeIntervalSince(sent) < 15)
        #expect(worker.process.terminationStatus != 0)
        #expect(worker.log.contains("missing-0"), "the exit names the failed task: \(worker.log)")
    }
}
