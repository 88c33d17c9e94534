import Foundation

/// Writing the result files (JSON, CSV, SVG), with errors that name the file.
enum ReportFile {
    /// Writes `data` to `path`, replacing it.
    /// - Throws: ``BenchError/cannotWrite(path:reason:)``.
    static func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw BenchError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }

    /// Fails now, before any run, when `path` cannot be written (`flag` names the setting).
    static func checkWritable(_ path: String, flag: String) throws {
        let existed = FileManager.default.fileExists(atPath: path)
        guard FileManager.default.createFile(atPath: path, contents: existed ? try? Data(contentsOf: URL(fileURLWithPath: path)) : Data()) else {
            let folder = (path as NSString).deletingLastPathComponent
            throw BenchError.cannotWrite(path: path, reason: "\(flag): the folder '\(folder.isEmpty ? "." : folder)' does not exist or is not writable")
        }
        if !existed { try? FileManager.default.removeItem(atPath: path) }
    }

    /// `{"command", "machine", "runs", "peers"}`, pretty-printed with sorted keys:
    /// the document both kinds of result files share.
    static func writeJSON(runs: [[String: Any]], peers: [PeerFigures], command: String, to path: String) throws {
        let document: [String: Any] = [
            "command": command,
            "machine": machine,
            "runs": runs,
            "peers": peers.map(\.json),
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        try write(data, to: path)
    }

    /// The machine a result was measured on, for the JSON files.
    static var machine: [String: Any] {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        return [
            "host": String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
            "cpus": ProcessInfo.processInfo.activeProcessorCount,
            "memory_gb": Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824,
        ]
    }
}
