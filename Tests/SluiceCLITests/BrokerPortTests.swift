import Foundation
import SluiceKafka
import Testing

@testable import sluice

/// `sluice broker --port`: brokers on fixed ports, so clients reconnect to a restart.
@Suite("sluice broker --port")
struct BrokerPortTests {
    /// A first port with `count` free loopback ports from it (checked by binding them).
    static func freePorts(_ count: Int) throws -> Int {
        for _ in 0..<50 {
            let first = Int.random(in: 20_000...40_000)
            let sockets = (0..<count).map { listenSocket(port: first + $0) }
            defer { for s in sockets where s >= 0 { close(s) } }
            if sockets.allSatisfy({ $0 >= 0 }) { return first }
        }
        throw POSIXError(.EADDRINUSE)
    }

    /// A socket listening on 127.0.0.1:`port`, or -1.
    static func listenSocket(port: Int) -> Int32 { FixedBrokerPorts.listeningSocket(port: port, reuseAddress: false).fd }

    /// The high watermark summed over `topic`'s partitions.
    static func records(in topic: String, bootstrap: String) throws -> Int64 {
        var config = KafkaConfiguration(bootstrapServers: bootstrap)
        config["log_level"] = "0"
        let consumer = try Consumer(configuration: config)
        return try consumer.partitions(of: topic, timeoutMs: 5_000).reduce(0) {
            $0 + (try consumer.watermarks(topic: topic, partition: $1, timeoutMs: 5_000).high)
        }
    }

    @Test("brokers listen on PORT and the ports after it")
    func fixedPorts() throws {
        let port = try Self.freePorts(3)
        let broker = try BrokerProcess(topics: [], arguments: ["--brokers", "3", "--port", String(port), "--no-connect-topics"])
        #expect(broker.bootstrapServers == "127.0.0.1:\(port),127.0.0.1:\(port + 1),127.0.0.1:\(port + 2)")
        // The brokers answer there: Metadata through the last one names all three.
        let metadata = try ControlPlaneClient.metadata(BrokerConnection(address: "127.0.0.1:\(port + 2)", timeoutMs: 5_000), topics: [])
        #expect(metadata.brokers.map(\.address).sorted() == (0..<3).map { "127.0.0.1:\(port + $0)" })
    }

    @Test("a taken port is an error naming it, and nothing is left running")
    func takenPort() throws {
        let port = try Self.freePorts(2)
        let taken = Self.listenSocket(port: port + 1)
        defer { close(taken) }
        let process = Process()
        process.executableURL = SluiceProcess.executable
        process.arguments = ["broker", "--brokers", "2", "--port", String(port), "--no-connect-topics"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(text.contains("cannot listen on 127.0.0.1:\(port + 1) for --port"), "\(text)")
        let again = Self.listenSocket(port: port)
        defer { if again >= 0 { close(again) } }
        #expect(again >= 0, "port \(port), bound before the failure, is free again")
    }

    @Test("bad ports are refused", arguments: ["0", "65536", "-1", "x"])
    func badPort(value: String) throws {
        let process = Process()
        process.executableURL = SluiceProcess.executable
        process.arguments = ["broker", "--port", value]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(text.contains("--port"), "\(text)")
    }

    @Test("a broker killed and started again on its port: the running worker reconnects and its records reach the new broker")
    func restartOnSamePort() throws {
        let port = try Self.freePorts(1)
        let folder = try TemporaryFolder()
        let arguments = ["--port", String(port), "--no-connect-topics"]
        var broker = try BrokerProcess(topics: ["events:2"], arguments: arguments)
        try folder.write("worker.properties", """
            listeners=http://127.0.0.1:0
            bootstrap.servers=\(broker.bootstrapServers)
            offset.storage.file.filename=\(folder.file("offsets.json"))
            offset.flush.interval.ms=500
            """)
        try folder.write(
            "gen.properties", "name=gen\nconnector.class=datagen\ntopic=events\nmax.records.per.sec=2000\nrecord.size=100\n")
        let worker = try StandaloneCommandTests.start(
            [folder.file("worker.properties"), folder.file("gen.properties")], log: folder.file("stderr.log"))
        defer {
            if worker.isRunning {
                kill(worker.processIdentifier, SIGKILL)
                worker.waitUntilExit()
            }
        }
        #expect(try eventually(seconds: 20) { try Self.records(in: "events", bootstrap: broker.bootstrapServers) > 0 })

        kill(broker.process.processIdentifier, SIGKILL)
        broker.process.waitUntilExit()
        Thread.sleep(forTimeInterval: 1)
        broker = try BrokerProcess(topics: ["events:2"], arguments: arguments)
        #expect(broker.bootstrapServers == "127.0.0.1:\(port)")
        // The new broker starts empty (its data lives in memory) and fills from the same worker.
        #expect(try eventually(seconds: 30) { try Self.records(in: "events", bootstrap: broker.bootstrapServers) > 1_000 })
        #expect(worker.isRunning, "\((try? String(contentsOfFile: folder.file("stderr.log"), encoding: .utf8)) ?? "")")
    }
}
