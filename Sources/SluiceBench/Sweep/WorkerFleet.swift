import Foundation
import SluiceHTTP

/// `sluice worker` processes for one sweep run, in one group, in a temporary
/// folder; ``stop()`` ends them (SIGTERM, then SIGKILL) and removes the folder.
final class WorkerFleet {
    struct Worker {
        let process: Process
        let url: String
        let logPath: String
    }

    let folder: String
    private let executable: String
    private(set) var workers: [Worker] = []

    /// Starts `count` workers of `executable` (`sluice worker FILE`) against
    /// `bootstrap` in group `group`.
    /// - Throws: ``BenchError/workerFailed(_:logTail:)`` with the log tail of a worker that did not start.
    init(count: Int, executable: String, bootstrap: String, group: String, settings: [String: String]) throws {
        self.executable = executable
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-sweep-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        ChildCleanup.register(folder: folder)
        do {
            for index in 0..<count { workers.append(try start(index, bootstrap: bootstrap, group: group, settings: settings)) }
        } catch {
            stop()
            throw error
        }
    }

    private func start(_ index: Int, bootstrap: String, group: String, settings: [String: String]) throws -> Worker {
        var properties = [
            "bootstrap.servers": bootstrap, "group.id": group, "config.storage.topic": "connect-configs",
            "offset.storage.topic": "connect-offsets", "status.storage.topic": "connect-status",
            "listeners": "http://127.0.0.1:0", "offset.flush.interval.ms": "1000", "session.timeout.ms": "10000",
            "heartbeat.interval.ms": "1000", "log_level": "3",
        ]
        for (key, value) in settings { properties[key] = value }
        let path = "\(folder)/worker\(index).properties"
        try properties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let logPath = "\(folder)/worker\(index).log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["worker", path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw BenchError.workerFailed("worker \(index) could not start: \(error)", logTail: "")
        }
        ChildCleanup.register(pid: process.processIdentifier)
        var line = [UInt8]()
        var byte: UInt8 = 0
        while read(out.fileHandleForReading.fileDescriptor, &byte, 1) == 1 && byte != UInt8(ascii: "\n") { line.append(byte) }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("rest.url=") else {
            process.waitUntilExit()
            throw BenchError.workerFailed("worker \(index) exited before serving (status \(process.terminationStatus))", logTail: Self.tail(logPath))
        }
        return Worker(process: process, url: String(text.dropFirst("rest.url=".count)), logPath: logPath)
    }

    /// The last lines of a worker's log.
    static func tail(_ path: String, lines: Int = 12) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// Worker `index`'s log tail.
    func logTail(_ index: Int) -> String { Self.tail(workers[index].logPath) }

    /// The REST API addresses of the workers.
    var urls: [String] { workers.map(\.url) }

    /// The workers' process ids.
    var processIdentifiers: [Int32] { workers.map(\.process.processIdentifier) }

    /// Throws when a worker has exited: `worker N exited <when>`, with its log tail.
    /// - Throws: ``BenchError/workerFailed(_:logTail:)``.
    func checkRunning(_ when: String) throws {
        if let dead = workers.firstIndex(where: { !$0.process.isRunning }) {
            throw BenchError.workerFailed("worker \(dead) exited \(when)", logTail: logTail(dead))
        }
    }

    /// Stops every worker gracefully (SIGTERM; SIGKILL after 10 s) and removes the folder.
    func stop() {
        for worker in workers where worker.process.isRunning { kill(worker.process.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(10)
        for worker in workers {
            while worker.process.isRunning && Date() < deadline { usleep(20_000) }
            if worker.process.isRunning { kill(worker.process.processIdentifier, SIGKILL) }
            worker.process.waitUntilExit()
            ChildCleanup.unregister(pid: worker.process.processIdentifier)
        }
        workers.removeAll()
        try? FileManager.default.removeItem(atPath: folder)
        ChildCleanup.unregister(folder: folder)
    }

    deinit { if !workers.isEmpty { stop() } }
}
