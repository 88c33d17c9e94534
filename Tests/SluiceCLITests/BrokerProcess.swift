import Foundation

/// A `sluice broker` child process for a test; killed when the test ends.
final class BrokerProcess {
    let process = Process()
    let bootstrapServers: String

    init(topics: [String], arguments: [String] = []) throws {
        process.executableURL = SluiceProcess.executable
        process.arguments = ["broker"] + topics.flatMap { ["--topic", $0] } + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var line = [UInt8]()
        var byte: UInt8 = 0
        while read(out.fileHandleForReading.fileDescriptor, &byte, 1) == 1 && byte != UInt8(ascii: "\n") {
            line.append(byte)
        }
        bootstrapServers = String(String(decoding: line, as: UTF8.self).dropFirst("bootstrap.servers=".count))
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// A temporary folder removed when the test ends.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
