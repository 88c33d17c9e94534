import SluiceCore
import SluiceRuntime
#if canImport(Glibc)
import Glibc
#endif

/// Reads its files' lines into batches (value = the line, null key), following the
/// files as they grow. A batch holds lines of one file; its source offset is the
/// byte position after its last line (in the decompressed stream), so a restart
/// resumes exactly after the last acknowledged line.
public final class FileStreamSourceTask: SourceTask {
    private var files: [String] = []
    private var readers: [LineFileReader?] = []
    private var current = 0
    private var batchSize = 2000
    private var offsets: [String: Int64] = [:]
    private var follow = true
    private var finished: Set<Int> = []
    /// Files given up on after corrupt data (with `errors.tolerance=all`).
    private var abandoned: Set<Int> = []
    /// A corrupt-data report waiting for an empty batch of its own.
    private var pendingReport: (file: Int, error: FileError)?
    /// Damage found after some lines of a batch were read: those go out first, and
    /// the next poll fails the task with it.
    private var pendingFailure: FileError?
    private var tolerateErrors = false
    private var deadLetterTopic: String?
    private var topic = ""
    private var connectorName = ""
    private var taskID = 0
    private var errors = TaskErrorCounters()
    /// `errors.log.enable`: whether the report line counts as a logged error (it is
    /// written in any case).
    private var logErrors = false

    public init() {}

    public func start(context: TaskContext) throws {
        files = FileStreamSourceConnector.files(in: context.config)
        batchSize = Int(context.config["batch.size"] ?? "2000") ?? 2000
        // Kafka's partition and offset ({"filename": F} / {"position": N}), or the
        // form earlier Sluice versions stored ("F" / {"offset": N}).
        offsets = [:]
        for file in files {
            offsets[file] = context.sourceOffsets[Self.partitionName(file)]?["position"] ?? context.sourceOffsets[file]?.value
        }
        // Read as everywhere else (`errors.tolerance` in any case, the topic name trimmed).
        let handling = try ErrorHandlingConfig(config: context.config, connector: context.connectorName)
        tolerateErrors = handling.tolerance == .all
        deadLetterTopic = handling.deadLetterTopic
        logErrors = handling.logEnabled
        topic = context.config["topic"] ?? ""
        connectorName = context.connectorName
        taskID = context.taskID
        errors = context.errors
        follow = (context.config["follow"] ?? "true").lowercased() != "false"
        readers = files.map { _ in nil }
    }

    /// Lines are text (Kafka Connect's FileStreamSource uses a STRING schema).
    public var valueFormat: SourceValueFormat { .string }

    /// Kafka's FileStreamSource partition: `{"filename": file}`, so its offsets read and
    /// altered through REST (KIP-875) look as Kafka's documentation shows them.
    public func sourcePartitionName(_ index: Int) -> String? {
        files.indices.contains(index) ? Self.partitionName(files[index]) : nil
    }

    /// Kafka's FileStreamSource offset: `{"position": N}`, the byte after the batch's last line.
    public func sourceOffset(of batch: RecordBatch) -> SourceOffset? {
        SourceOffset(["position": batch.sourceOffset])
    }

    /// The stored name of `file`'s partition, `{"filename":"<file>"}`.
    static func partitionName(_ file: String) -> String {
        SourcePartitionName.text(["filename": file]) ?? file
    }

    public func poll(into batch: RecordBatch) throws -> SourcePollResult {
        if let failure = pendingFailure { throw failure }
        guard !files.isEmpty else { return .endOfData }
        if let report = pendingReport {
            pendingReport = nil
            try writeReport(report, into: batch)
            return .batchFull
        }
        for _ in 0..<files.count {
            let index = current
            if abandoned.contains(index) {
                current = (current + 1) % files.count
                continue
            }
            let reader = try reader(index)
            var lines = 0
            var full = false
            do {
                try reader.forEachLine { line, after in
                let ok = try batch.append(keyLength: -1, valueLength: line.count) { _, value in
                    if line.count > 0 { value.copyMemory(from: line) }
                }
                if !ok { full = true; return false }
                batch.sourcePartition = index
                batch.sourceOffset = after
                lines += 1
                if lines == batchSize { full = true; return false }
                return true
                }
            } catch let error as FileError where !tolerateErrors && !batch.isEmpty {
                // The lines before the damage go out first; the task fails at the next poll.
                pendingFailure = error
                return .batchFull
            } catch let error as FileError where tolerateErrors {
                // Give up on this file; its good lines so far stay, the report goes out on its own.
                abandoned.insert(index)
                finished.insert(index)
                if batch.isEmpty {
                    try writeReport((index, error), into: batch)
                } else {
                    pendingReport = (index, error)
                }
                return .batchFull
            }
            if full { return .batchFull }
            if !follow { finished.insert(index) }
            current = (current + 1) % files.count
            if lines > 0 { return .caughtUp }
        }
        return !follow && finished.count == files.count ? .endOfData : .caughtUp
    }

    /// Sends a corrupt-data report: logged, and as a record to the dead-letter topic when
    /// one is set (key: the file; headers: Kafka Connect's `__connect.errors.*` and the offset).
    private func writeReport(_ report: (file: Int, error: FileError), into batch: RecordBatch) throws {
        let path = files[report.file]
        let line = Array("sluice: error: connector \(connectorName) task \(taskID): gave up on '\(path)': \(report.error)\n".utf8)
        _ = line.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        guard let deadLetterTopic else {
            errors.recordHandledError(logged: logErrors, deadLettered: false)
            return
        }
        var offset: Int64 = -1
        if case let .corrupt(_, at, _) = report.error { offset = at }
        let headers = ErrorContextHeaders.make(
            error: report.error, stage: "TASK_POLL", className: "org.apache.kafka.connect.file.FileStreamSourceTask",
            topic: topic, connector: connectorName, taskID: taskID,
            extra: [("file", path), ("file.offset", String(offset))])
        batch.topic = deadLetterTopic
        let written = try Array(path.utf8).withUnsafeBytes { key in
            try batch.append(key: key, value: nil, headers: headers)
        }
        errors.recordHandledError(logged: logErrors, deadLettered: written)
    }

    /// The reader of file `index`, opened at its committed offset on first use.
    private func reader(_ index: Int) throws -> LineFileReader {
        if let reader = readers[index] { return reader }
        let reader = try LineFileReader(path: files[index], from: offsets[files[index]] ?? 0)
        readers[index] = reader
        return reader
    }
}
