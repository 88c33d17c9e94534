import Foundation
import SluiceConnectors
import SluiceCore
import SluiceRuntime
import Testing

@Suite("FileStreamSourceConnector")
struct FileStreamSourceConnectorTests {
    @Test("files and globs are split across up to tasks.max tasks")
    func splitsFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fss-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["a.log", "b.log", "c.log", "d.txt"] {
            FileManager.default.createFile(atPath: "\(folder)/\(name)", contents: Data())
        }
        let connector = FileStreamSourceConnector()
        try connector.start(config: ["name": "f", "files": "\(folder)/*.log, \(folder)/d.txt", "topic": "t"])
        let configs = connector.taskConfigs(maxTasks: 2)
        #expect(configs.count == 2)
        #expect(configs[0]["files"] == "\(folder)/a.log,\(folder)/c.log")
        #expect(configs[1]["files"] == "\(folder)/b.log,\(folder)/d.txt")
        #expect(connector.taskConfigs(maxTasks: 10).count == 4)
        #expect(throws: RuntimeError.self) { try FileStreamSourceConnector().start(config: ["name": "f", "files": "\(folder)/*.none"]) }
    }

    /// Writes `lineCount` lines to a new .zst file and damages 64 bytes in its middle.
    /// - Returns: the file's path and the damaged byte offset.
    static func damagedFile(lineCount: Int) throws -> (path: String, damage: Int) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fss-damaged-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).zst").path
        let appender = try FileAppender(path: path)
        var generator = SystemRandomNumberGenerator()
        let lines = (0..<lineCount).map { "line \($0) \(UInt64.random(in: 0...UInt64.max, using: &generator))" }
        try Array(lines.map { $0 + "\n" }.joined().utf8).withUnsafeBytes { try appender.append($0) }
        try appender.flush()
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        let damage = bytes.count / 2
        for i in damage..<(damage + 64) { bytes[i] ^= 0xA5 }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, damage)
    }

    /// Polls a task over `config` until its end, its failure or 1,000 polls.
    /// - Returns: the records it delivered and the error it failed with.
    static func drain(_ config: [String: String], errors: TaskErrorCounters = TaskErrorCounters()) throws -> (delivered: Int, failure: (any Error)?) {
        let task = FileStreamSourceTask()
        var context = TaskContext(connectorName: "damaged", taskID: 0, config: config)
        context.errors = errors
        try task.start(context: context)
        let batch = RecordBatch(arenaBytes: 1 << 20, maxRecords: 16_384)
        var delivered = 0
        for _ in 0..<1_000 {
            batch.reset()
            do {
                let result = try task.poll(into: batch)
                delivered += batch.count
                if result == .endOfData { break }
            } catch {
                return (delivered, error)
            }
        }
        return (delivered, nil)
    }

    @Test("a file damaged in the middle: the lines before the damage are delivered, then the task fails naming the offset")
    func damagedFile() throws {
        let lineCount = 60_000
        let (path, damage) = try Self.damagedFile(lineCount: lineCount)
        defer { unlink(path) }
        let (delivered, failure) = try Self.drain(["file": path, "topic": "t", "follow": "false"])
        #expect(delivered > lineCount / 4, "lines before the damage go out: \(delivered)")
        guard case let FileError.corrupt(_, offset, _)? = failure else {
            Issue.record("the task did not fail on the damage: \(String(describing: failure))")
            return
        }
        #expect(offset > Int64(damage) - 131_072 && offset < Int64(damage) + 262_144, "offset \(offset), damage at \(damage)")
    }

    @Test("errors.tolerance is read in any case: with ALL a damaged file is given up on and the task does not fail", arguments: ["all", "ALL", "All"])
    func damagedFileTolerated(tolerance: String) throws {
        let (path, _) = try Self.damagedFile(lineCount: 20_000)
        defer { unlink(path) }
        let (delivered, failure) = try Self.drain(["file": path, "topic": "t", "follow": "false", "errors.tolerance": tolerance])
        #expect(failure == nil, "errors.tolerance=\(tolerance) failed the task: \(String(describing: failure))")
        #expect(delivered > 0)
    }

    @Test("a damaged file given up on is counted in the task's error metrics: a failure, an error, a logged error under errors.log.enable, and a dead-letter request when a topic is set")
    func damagedFileCounted() throws {
        let (path, _) = try Self.damagedFile(lineCount: 20_000)
        defer { unlink(path) }
        for (deadLetterTopic, logged) in [("", false), (" dlq ", true)] {
            let errors = TaskErrorCounters()
            let config = [
                "file": path, "topic": "t", "follow": "false", "errors.tolerance": "all",
                "errors.deadletterqueue.topic.name": deadLetterTopic, "errors.log.enable": logged ? "TRUE" : "false",
            ]
            let (_, failure) = try Self.drain(config, errors: errors)
            #expect(failure == nil)
            #expect(errors.recordFailures.load(ordering: .relaxed) == 1)
            #expect(errors.recordErrors.load(ordering: .relaxed) == 1)
            #expect(errors.errorsLogged.load(ordering: .relaxed) == (logged ? 1 : 0))
            #expect(errors.deadLetterRequests.load(ordering: .relaxed) == (deadLetterTopic.isEmpty ? 0 : 1), "topic '\(deadLetterTopic)'")
            #expect(errors.lastErrorTimestampMs.load(ordering: .relaxed) > 0)
        }
    }
}
