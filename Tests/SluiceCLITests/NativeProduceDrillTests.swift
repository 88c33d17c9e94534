import Foundation
import SluiceConnectors
import SluiceCore
import SluiceKafka
import Testing

/// Fault drills of the native produce path with real processes: `sluice broker`
/// with three brokers, `sluice standalone` running a datagen source through
/// `producer.path=native`, and the broker's control commands (or a kill) mid-run.
@Suite("Native produce path fault drills (real processes)")
struct NativeProduceDrillTests {
    /// `sluice broker --brokers 3 --control-stdin` with `topic`, and a way to send it commands.
    final class ControlledBroker {
        let process = Process()
        let input = Pipe()
        let output = Pipe()
        let bootstrapServers: String

        init(brokers: Int, topic: String) throws {
            process.executableURL = SluiceProcess.executable
            process.arguments = ["broker", "--brokers", String(brokers), "--control-stdin", "--topic", topic, "--no-connect-topics"]
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            bootstrapServers = String(Self.line(output).dropFirst("bootstrap.servers=".count))
        }

        static func line(_ pipe: Pipe) -> String {
            var line = [UInt8]()
            var byte: UInt8 = 0
            while read(pipe.fileHandleForReading.fileDescriptor, &byte, 1) == 1 && byte != UInt8(ascii: "\n") {
                line.append(byte)
            }
            return String(decoding: line, as: UTF8.self)
        }

        /// Sends a command and returns the broker's answer line.
        func command(_ text: String) -> String {
            input.fileHandleForWriting.write(Data((text + "\n").utf8))
            return Self.line(output)
        }

        deinit {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
    }

    private static func workerFile(_ folder: TemporaryFolder, bootstrap: String, extra: String = "") throws {
        try folder.write("worker.properties", """
            listeners=http://127.0.0.1:0
            bootstrap.servers=\(bootstrap)
            offset.storage.file.filename=\(folder.file("offsets.json"))
            offset.flush.interval.ms=500
            producer.path=native
            \(extra)
            """)
    }

    /// Every record of the datagen topic up to the end offsets it has when the read
    /// starts: its (sequence, partition) in log order.
    private static func readStamps(topic: String, bootstrap: String) throws -> [(sequence: UInt64, partition: Int32)] {
        try TopicContents.read(topic, bootstrap: bootstrap).compactMap { record in
            guard let value = record.value, let stamp = value.withUnsafeBytes({ DatagenRecordLayout.stamp(of: $0) }) else { return nil }
            return (stamp.sequence, record.partition)
        }
    }

    @Test("the leader of the busiest partitions goes down mid-run and comes back: 0 lost, 0 duplicated, order per partition holds")
    func leaderDownAndUp() throws {
        let folder = try TemporaryFolder()
        let broker = try ControlledBroker(brokers: 3, topic: "drill:6:3")
        try Self.workerFile(folder, bootstrap: broker.bootstrapServers, extra: "producer.delivery.timeout.ms=60000")
        let records = 60_000
        try folder.write(
            "gen.properties",
            "name=gen\nconnector.class=datagen\ntopic=drill\niterations=\(records)\nmax.records.per.sec=15000\nrecord.size=100\nkey.cardinality=100\n")
        let worker = try StandaloneCommandTests.start(
            [folder.file("worker.properties"), folder.file("gen.properties"), "--exit-when-sources-end"],
            log: folder.file("stderr.log"))
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        Thread.sleep(forTimeInterval: 1.5)
        #expect(broker.command("down 1") == "ok")
        Thread.sleep(forTimeInterval: 1.5)
        #expect(broker.command("up 1") == "ok")
        let deadline = Date().addingTimeInterval(60)
        while worker.isRunning && Date() < deadline { usleep(50_000) }
        #expect(!worker.isRunning, "the bounded source must end")
        #expect(worker.terminationStatus == 0, "\((try? String(contentsOfFile: folder.file("stderr.log"), encoding: .utf8)) ?? "")")

        // Read the log batch by batch and apply Kafka's idempotence check: a request
        // in flight when its connection dropped is resent with the same sequence,
        // which Kafka drops and the embedded cluster (no sequence checks outside
        // transactions) appends again.
        var verifier = DatagenVerifier(expected: [records])
        var outOfOrder = 0
        var resends = 0
        for partition in Int32(0)..<6 {
            let log = IdempotentLog(try PartitionLog.read(topic: "drill", partition: partition, bootstrap: broker.bootstrapServers))
            #expect(log.refused.isEmpty, "partition \(partition): batches Kafka would refuse: \(log.refused)")
            resends += log.resends
            var last: UInt64?
            for value in log.values {
                guard let value else { continue }
                value.withUnsafeBytes { verifier.observe(value: $0) }
                guard let stamp = value.withUnsafeBytes({ DatagenRecordLayout.stamp(of: $0) }) else { continue }
                if let last, last >= stamp.sequence { outOfOrder += 1 }
                last = stamp.sequence
            }
        }
        FileHandle.standardError.write(Data("leaderDownAndUp: \(resends) resent batches that Kafka drops as duplicates\n".utf8))
        let report = verifier.report
        #expect(report.lost == 0)
        #expect(report.duplicates == 0)
        #expect(report.unexpected == 0)
        #expect(outOfOrder == 0, "records out of order within a partition")
    }

    @Test("the broker process killed mid-run: the task fails within delivery.timeout.ms with an error naming the cluster, and commits nothing unacknowledged")
    func brokerKilled() throws {
        let folder = try TemporaryFolder()
        let broker = try ControlledBroker(brokers: 1, topic: "doomed:2:1")
        try folder.write(
            "gen.properties",
            "name=gen\nconnector.class=datagen\ntopic=doomed\niterations=10000000\nmax.records.per.sec=20000\nrecord.size=100\n")
        let worker = try WorkerProcess(
            folder: folder, name: "standalone",
            properties: """
                listeners=http://127.0.0.1:0
                bootstrap.servers=\(broker.bootstrapServers)
                offset.storage.file.filename=\(folder.file("offsets.json"))
                offset.flush.interval.ms=500
                producer.path=native
                producer.delivery.timeout.ms=3000
                producer.request.timeout.ms=1000
                """,
            command: ["standalone"], after: [folder.file("gen.properties")])
        Thread.sleep(forTimeInterval: 2)
        // What the broker holds bounds what was acknowledged before the read began.
        let readStarted = Date()
        let held = try Self.readStamps(topic: "doomed", bootstrap: broker.bootstrapServers).count
        kill(broker.process.processIdentifier, SIGKILL)
        broker.process.waitUntilExit()
        // Records written after the read began: at most the source's rate for that time.
        let bound = held + Int(20_000 * (Date().timeIntervalSince(readStarted) + 0.5))
        let killedAt = Date()
        var task: [String: Any] = [:]
        while Date().timeIntervalSince(killedAt) < 30 {
            let status = try RestClient.call("GET", worker.url + "connectors/gen/status").json as? [String: Any]
            task = ((status?["tasks"] as? [[String: Any]])?.first) ?? [:]
            if task["state"] as? String == "FAILED" { break }
            usleep(100_000)
        }
        #expect(task["state"] as? String == "FAILED", "the task must fail instead of waiting forever: \(task)")
        #expect(Date().timeIntervalSince(killedAt) < 15)
        let trace = task["trace"] as? String ?? ""
        #expect(trace.contains("delivery.timeout.ms") || trace.contains("cannot reach Kafka at \(broker.bootstrapServers)"), "\(trace)")
        // Offsets were flushed every 500 ms; wait for one more flush after the failure.
        Thread.sleep(forTimeInterval: 1)
        // The committed datagen position never passes what was acknowledged: the
        // broker held `held` records when the read began, and the source writes at
        // most 20,000 records a second after that.
        let text = (try? String(contentsOfFile: folder.file("offsets.json"), encoding: .utf8)) ?? ""
        let committed = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.max() ?? 0
        #expect(committed > 0, "offsets were committed while the broker lived: \(text)")
        #expect(committed <= bound, "committed \(committed), but the broker held \(held) and at most \(bound) can have been acknowledged")
    }
}
