import Foundation
import SluiceKafka

/// A `sluice broker --control-stdin` child process: the benchmark's default cluster.
///
/// Running the cluster in its own process keeps its CPU time and its memory (the
/// mock broker keeps every record) out of the benchmark's own figures. The child
/// exits when its stdin closes, so it never outlives the benchmark, even after a
/// crash or SIGKILL.
final class ChildBroker: EmbeddedBroker {
    let bootstrapServers: String
    private let process: Process
    private let input: Pipe
    private let output: Pipe

    /// Starts `sluiceExecutable broker --brokers N --control-stdin` and reads its address.
    init(sluiceExecutable: String, brokers: Int = 1) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: sluiceExecutable)
        process.arguments = ["broker", "--brokers", String(brokers), "--control-stdin"]
        input = Pipe()
        output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            throw KafkaError.embeddedClusterFailed(reason: "cannot start '\(sluiceExecutable) broker': \(error)")
        }
        let first = ChildBroker.readLine(output.fileHandleForReading)
        guard let first, first.hasPrefix("bootstrap.servers=") else {
            process.terminate()
            throw KafkaError.embeddedClusterFailed(reason: "the broker process printed '\(first ?? "nothing")'")
        }
        bootstrapServers = String(first.dropFirst("bootstrap.servers=".count))
    }

    /// The broker process's id (for its CPU time).
    var processIdentifier: Int32 { process.processIdentifier }

    /// Creates a topic in the child's cluster.
    func createTopic(_ name: String, partitions: Int) throws {
        try command("create \(name) \(partitions) 1")
    }

    /// Starts verifying `topic` in the broker process while it is written
    /// (`expected` empty: only read and count, for an equal load on a baseline run).
    func watch(_ topic: String, expected: [Int]) throws {
        try command("watch \(topic) \(expected.isEmpty ? "-" : expected.map(String.init).joined(separator: ","))")
    }

    /// Waits for the verification of `topic` to read everything written, and returns it.
    func result(_ topic: String) throws -> TopicVerifier.Outcome {
        let answer = try command("result \(topic)", expecting: "result ")
        var fields: [String: Int] = [:]
        for pair in answer.split(separator: " ").dropFirst() {
            let parts = pair.split(separator: "=")
            if parts.count == 2, let value = Int(parts[1]) { fields[String(parts[0])] = value }
        }
        return TopicVerifier.Outcome(
            report: .init(
                lost: fields["lost"] ?? 0, duplicates: fields["duplicates"] ?? 0,
                unexpected: fields["unexpected"] ?? 0, seen: fields["seen"] ?? 0),
            truncated: fields["truncated"] == 1)
    }

    @discardableResult
    private func command(_ text: String, expecting prefix: String = "ok") throws -> String {
        input.fileHandleForWriting.write(Data((text + "\n").utf8))
        let answer = ChildBroker.readLine(output.fileHandleForReading)
        guard let answer, answer.hasPrefix(prefix) else {
            throw KafkaError.embeddedClusterFailed(reason: "'\(text)': \(answer ?? "the broker process ended")")
        }
        return answer
    }

    /// Closes stdin (the child exits) and waits for it.
    func stop() {
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    private static func readLine(_ handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = read(handle.fileDescriptor, &byte, 1)
            if n <= 0 { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }
}
