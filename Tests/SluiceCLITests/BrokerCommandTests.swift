import Foundation
import SluiceCore
import SluiceKafka
import Testing

@Suite("sluice broker")
struct BrokerCommandTests {
    @Test("serves other processes at the address it prints, with the topics it was asked for, until SIGTERM")
    func servesAndStops() throws {
        let process = Process()
        process.executableURL = SluiceProcess.executable
        process.arguments = ["broker", "--brokers", "2", "--topic", "orders:5:2"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var line = [UInt8]()
        var byte: UInt8 = 0
        while read(out.fileHandleForReading.fileDescriptor, &byte, 1) == 1 && byte != UInt8(ascii: "\n") {
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.hasPrefix("bootstrap.servers=127.0.0.1:"))
        let servers = String(text.dropFirst("bootstrap.servers=".count))
        #expect(servers.split(separator: ",").count == 2)

        var config = KafkaConfiguration(bootstrapServers: servers)
        config["log_level"] = "0"
        let consumer = try Consumer(configuration: config)
        #expect(try consumer.partitions(of: "orders", timeoutMs: 10_000) == [0, 1, 2, 3, 4])

        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }

    @Test("with --control-stdin it answers commands and exits when stdin closes")
    func controlStdin() throws {
        let process = Process()
        process.executableURL = SluiceProcess.executable
        process.arguments = ["broker", "--control-stdin"]
        let input = Pipe()
        let out = Pipe()
        process.standardInput = input
        process.standardOutput = out
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        func readLine() -> String {
            var line = [UInt8]()
            var byte: UInt8 = 0
            while read(out.fileHandleForReading.fileDescriptor, &byte, 1) == 1 && byte != UInt8(ascii: "\n") {
                line.append(byte)
            }
            return String(decoding: line, as: UTF8.self)
        }
        #expect(readLine().hasPrefix("bootstrap.servers="))
        input.fileHandleForWriting.write(Data("create t 3\n".utf8))
        #expect(readLine() == "ok")
        input.fileHandleForWriting.write(Data("create t 0\n".utf8))
        #expect(readLine().hasPrefix("error: "))
        input.fileHandleForWriting.write(Data("down 7\n".utf8))
        #expect(readLine().contains("no broker 7"))
        input.fileHandleForWriting.write(Data("explode\n".utf8))
        #expect(readLine().hasPrefix("error: unknown command"))
        try input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        #expect(!process.isRunning, "the broker must exit when its stdin closes")
    }
}
