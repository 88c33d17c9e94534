import SluiceCore
import SluiceRuntime

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

    public init() {}

    public func start(context: TaskContext) throws {
        files = FileStreamSourceConnector.files(in: context.config)
        batchSize = Int(context.config["batch.size"] ?? "2000") ?? 2000
        offsets = context.offsets
        follow = (context.config["follow"] ?? "true").lowercased() != "false"
        readers = files.map { _ in nil }
    }

    /// Lines are text (Kafka Connect's FileStreamSource uses a STRING schema).
    public var valueFormat: SourceValueFormat { .string }

    public func sourcePartitionName(_ index: Int) -> String? {
        files.indices.contains(index) ? files[index] : nil
    }

    public func poll(into batch: RecordBatch) throws -> SourcePollResult {
        guard !files.isEmpty else { return .endOfData }
        for _ in 0..<files.count {
            let index = current
            let reader = try reader(index)
            var lines = 0
            var full = false
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
            if full { return .batchFull }
            if !follow { finished.insert(index) }
            current = (current + 1) % files.count
            if lines > 0 { return .caughtUp }
        }
        return !follow && finished.count == files.count ? .endOfData : .caughtUp
    }

    /// The reader of file `index`, opened at its committed offset on first use.
    private func reader(_ index: Int) throws -> LineFileReader {
        if let reader = readers[index] { return reader }
        let reader = try LineFileReader(path: files[index], from: offsets[files[index]] ?? 0)
        readers[index] = reader
        return reader
    }
}
