#if canImport(Glibc)
import Glibc
#endif
import SluiceKafka
import SluiceRuntime

/// Writes record values as lines to a file, compatible with Kafka Connect's
/// `FileStreamSinkConnector` (`file`, `topics`). `.lz4` and `.zst` file names are
/// written compressed in whole frames (one per flush, more between flushes when
/// large), and a frame torn by a crash is cut off at the next start, so the file
/// always decodes (``SluiceCore/FileAppender``).
public final class FileStreamSinkConnector: SinkConnector {
    public let configDef = ConfigDef()
        .define("file", .string, documentation: "The file to append to.")
        .define("topics", .list, default: "", documentation: "Topics to read.")
    private var config: [String: String] = [:]

    public init() {}

    public func start(config: [String: String]) throws { self.config = config }

    /// One task: a file has one writer.
    public func taskConfigs(maxTasks: Int) -> [[String: String]] { [config] }

    public func makeTask() -> SinkTask { FileStreamSinkTask() }
}

/// Appends each record's value and a newline to the file; `flush` fsyncs.
public final class FileStreamSinkTask: SinkTask {
    private var appender: FileAppender?

    public init() {}

    public func start(context: TaskContext) throws {
        guard let path = context.config["file"], !path.isEmpty else {
            throw RuntimeError.invalidConfig(name: "file", value: "", reason: "a file is required")
        }
        let appender = try FileAppender(path: path)
        if appender.truncatedTornBytes > 0 {
            // A writer was killed in the middle of a frame; the records of that frame
            // were never committed, so they are read again and written after it.
            let line = "FileStreamSink \(context.connectorName)-\(context.taskID): '\(path)' ended in a torn frame; cut \(appender.truncatedTornBytes) bytes back to the last complete frame\n"
            _ = line.withCString { write(2, $0, strlen($0)) }
        }
        self.appender = appender
    }

    public func put(_ batch: ConsumedBatch) throws {
        guard let appender else { return }
        for i in 0..<batch.count {
            let record = batch[i]
            guard record.error == nil else { continue }
            try appender.appendLine(record.value)
        }
    }

    /// Converted records: text as is, bytes raw, null as `null`, anything else as JSON.
    public func put(records: [ConnectRecord]) throws {
        guard let appender else { return }
        var line: [UInt8] = []
        for record in records {
            line.removeAll(keepingCapacity: true)
            switch record.value {
            case let .string(text): line.append(contentsOf: text.utf8)
            case let .bytes(bytes): line.append(contentsOf: bytes)
            case .null: line.append(contentsOf: "null".utf8)
            default: JSONText.write(record.value, into: &line)
            }
            line.append(0x0A)
            try line.withUnsafeBytes { try appender.append($0) }
        }
    }

    public func flush() throws { try appender?.flush() }
}

import SluiceCore
