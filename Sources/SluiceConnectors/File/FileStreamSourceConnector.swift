import SluiceRuntime

/// Reads lines of text files into a topic, compatible with Kafka Connect's
/// `FileStreamSourceConnector` (`file`, `topic`, `batch.size`) and extended with
/// `files` (a comma-separated list) split across up to `tasks.max` tasks. Plain,
/// `.lz4` and `.zst` files are read transparently.
public final class FileStreamSourceConnector: SourceConnector {
    public let configDef = ConfigDef()
        .define("file", .string, default: "", documentation: "The file to read (or use files).")
        .define("files", .list, default: "", documentation: "Comma-separated files or glob patterns (*, ?, [...]), split across tasks.")
        .define("topic", .string, documentation: "The topic to write to.")
        .define("batch.size", .int, default: "2000", minimum: 1, documentation: "Most lines per poll.")
        .define("follow", .boolean, default: "true", documentation: "Keep reading as the files grow (false: end at their end).")
    private var files: [String] = []
    private var config: [String: String] = [:]

    public init() {}

    public func start(config: [String: String]) throws {
        self.config = config
        files = Self.files(in: config)
        if files.isEmpty {
            // An empty glob is an error users want to hear about, not an idle connector.
            throw RuntimeError.invalidConnectorConfig(
                connector: config["name"] ?? "?",
                problems: [ConfigProblem(name: "file", value: nil, message: "Set \"file\" or \"files\" to at least one file.")])
        }
    }

    static func files(in config: [String: String]) -> [String] {
        var result: [String] = []
        if let file = config["file"], !file.isEmpty { result.append(file) }
        if let list = config["files"] {
            for item in list.split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
                result += item.contains(where: { "*?[".contains($0) }) ? expand(glob: item) : [item]
            }
        }
        return result
    }

    /// The files matching a shell pattern, sorted.
    static func expand(glob pattern: String) -> [String] {
        var matches = glob_t()
        defer { globfree(&matches) }
        guard Glibc.glob(pattern, 0, nil, &matches) == 0 else { return [] }
        return (0..<Int(matches.gl_pathc)).compactMap { matches.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }

    public func taskConfigs(maxTasks: Int) -> [[String: String]] {
        let count = max(1, min(maxTasks, files.count))
        return (0..<count).map { task in
            var taskConfig = config
            taskConfig["file"] = nil
            taskConfig["files"] = stride(from: task, to: files.count, by: count).map { files[$0] }.joined(separator: ",")
            return taskConfig
        }
    }

    public func makeTask() -> SourceTask { FileStreamSourceTask() }
}

import Foundation

#if canImport(Glibc)
import Glibc
#endif
