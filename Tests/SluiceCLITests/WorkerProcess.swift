import Foundation
import SluiceHTTP

/// A `sluice worker` child process for a test: started with a properties file,
/// ready once it prints `rest.url=`; killed (SIGKILL) when the test ends unless
/// stopped before. Its stderr goes to a file so a failing test can show it.
final class WorkerProcess {
    let process = Process()
    let url: String
    let logPath: String

    /// The worker's properties for `bootstrap` in the default internal topics.
    static func properties(bootstrap: String, extra: [String: String] = [:]) -> String {
        var settings = [
            "bootstrap.servers": bootstrap, "group.id": "sluice-test-cluster",
            "config.storage.topic": "connect-configs", "offset.storage.topic": "connect-offsets",
            "status.storage.topic": "connect-status", "listeners": "http://127.0.0.1:0",
            "offset.flush.interval.ms": "500", "session.timeout.ms": "3000", "heartbeat.interval.ms": "300",
        ]
        for (key, value) in extra { settings[key] = value }
        return settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n") + "\n"
    }

    /// - Parameters:
    ///   - directory: the worker's working directory (the test's by default).
    ///   - command: the arguments before the properties file (`sluice worker` by
    ///     default; `["standalone"]` for a standalone worker) and `after` it.
    init(
        folder: TemporaryFolder, name: String, properties: String, environment: [String: String] = [:],
        directory: String? = nil, command: [String] = ["worker"], after: [String] = []
    ) throws {
        try folder.write("\(name).properties", properties)
        logPath = folder.file("\(name).log")
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = SluiceProcess.executable
        process.arguments = command + [folder.file("\(name).properties")] + after
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var line = [UInt8]()
        var byte: UInt8 = 0
        while read(out.fileHandleForReading.fileDescriptor, &byte, 1) == 1 && byte != UInt8(ascii: "\n") {
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("rest.url=") else {
            process.waitUntilExit()
            throw WorkerStartFailure(log: (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
        }
        url = String(text.dropFirst("rest.url=".count))
    }

    /// The worker id (`host:port`) statuses name it by.
    var workerID: String {
        String(url.dropFirst("http://".count).dropLast())
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func kill(_ signal: Int32) {
        Foundation.kill(process.processIdentifier, signal)
    }

    deinit {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

extension WorkerProcess {
    /// POSTs a connector to this worker, again while it answers 409 (its first
    /// rebalance is not over), for at most 30 s; returns the last answer.
    func createConnector(_ body: [String: Any]) throws -> RestClient.Reply {
        var reply = try RestClient.call("GET", url)
        _ = try eventually(seconds: 30) {
            reply = try RestClient.call("POST", url + "connectors", json: body)
            return reply.status != 409
        }
        return reply
    }
}

struct WorkerStartFailure: Error, CustomStringConvertible {
    let log: String
    var description: String { "the worker did not start:\n\(log)" }
}

/// The tests' name for the REST client.
typealias RestClient = BlockingHTTPClient

/// Polls `condition` every 100 ms until it holds or `seconds` pass.
func eventually(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(100_000)
    }
    return try condition()
}
