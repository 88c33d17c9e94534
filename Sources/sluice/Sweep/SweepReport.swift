import Foundation

/// The terminal table, JSON and CSV of a sweep.
enum SweepReport {
    static let columns = [
        "workers", "tasks", "size", "codec", "records/s", "MB/s", "cpu s/M", "efficiency", "src busy", "produce", "wait", "cpu use",
        "lost", "dup", "bottleneck",
    ]

    static func cells(_ row: SweepRow) -> [String] {
        func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }
        return [
            String(row.workers), String(row.tasks), String(row.recordSize), row.compression,
            String(format: "%.0f", row.recordsPerSecond), String(format: "%.1f", row.recordsPerSecond * Double(row.recordSize) / 1e6),
            String(format: "%.3f", row.cpuSecondsPerMillion), row.efficiency.map { String(format: "%.2f", $0) } ?? "-",
            percent(row.stages.sourceBusy), percent(row.stages.produceBusy), percent(row.stages.handoffWait), percent(max(row.stages.workerCPU, row.stages.machineCPU)),
            row.lost.map(String.init) ?? "-", row.duplicates.map(String.init) ?? "-", row.verdict.sentence,
        ]
    }

    static func table(_ rows: [SweepRow], peers: [PeerFigures]) -> String {
        var text = align([columns] + rows.map(cells))
        if !peers.isEmpty {
            text += "\npeers (same data, same cluster):\n"
            var lines = [["peer", "size", "codec", "records/s", "cpu s/M", "Sluice 1×1 / peer"]]
            for peer in peers {
                let sluice = rows.first { $0.workers == 1 && $0.tasks == 1 && $0.recordSize == peer.recordSize && $0.compression == peer.compression }
                lines.append([
                    peer.name, String(peer.recordSize), peer.compression, String(format: "%.0f", peer.recordsPerSecond),
                    String(format: "%.3f", peer.cpuSecondsPerMillion),
                    sluice.map { String(format: "%.2f", $0.recordsPerSecond / peer.recordsPerSecond) } ?? "-",
                ])
            }
            text += align(lines)
        }
        return text
    }

    private static func align(_ lines: [[String]]) -> String {
        let widths = lines[0].indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { cells in
            zip(cells, widths).enumerated().map { index, pair in
                // The last column (a sentence) is left-aligned; numbers right-aligned.
                index == cells.count - 1 ? pair.0 : String(repeating: " ", count: pair.1 - pair.0.count) + pair.0
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// The schema of the first benchmark's JSON, with `workers`, `stages`,
    /// `bottleneck`, `verdict`, `scaling_efficiency` per run and a `peers` list.
    static func writeJSON(_ rows: [SweepRow], peers: [PeerFigures], command: String, to path: String) throws {
        let document: [String: Any] = [
            "command": command,
            "machine": BenchReport.machine,
            "runs": rows.map(\.json),
            "peers": peers.map(\.json),
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        try write(data, to: path)
    }

    /// One line per run, then one per peer (`kind` says which).
    static func writeCSV(_ rows: [SweepRow], peers: [PeerFigures], to path: String) throws {
        var lines = ["kind,name,direction,workers,tasks,record_size,compression,records_per_sec,mb_per_sec,cpu_sec_per_million,scaling_efficiency,source_busy,handoff_wait,produce_busy,worker_cpu,machine_cpu,bottleneck,lost,duplicates"]
        for row in rows {
            let fields: [String] = [
                "sluice", "sluice", row.direction, String(row.workers), String(row.tasks), String(row.recordSize), row.compression,
                String(format: "%.1f", row.recordsPerSecond), String(format: "%.3f", row.recordsPerSecond * Double(row.recordSize) / 1e6),
                String(format: "%.4f", row.cpuSecondsPerMillion), row.efficiency.map { String(format: "%.3f", $0) } ?? "",
                String(format: "%.3f", row.stages.sourceBusy), String(format: "%.3f", row.stages.handoffWait),
                String(format: "%.3f", row.stages.produceBusy), String(format: "%.3f", row.stages.workerCPU),
                String(format: "%.3f", row.stages.machineCPU), row.verdict.stage,
                row.lost.map(String.init) ?? "", row.duplicates.map(String.init) ?? "",
            ]
            lines.append(fields.joined(separator: ","))
        }
        for peer in peers {
            lines.append([
                "peer", "\"\(peer.name)\"", "", "", "", String(peer.recordSize), peer.compression,
                String(format: "%.1f", peer.recordsPerSecond), String(format: "%.3f", peer.recordsPerSecond * Double(peer.recordSize) / 1e6),
                String(format: "%.4f", peer.cpuSecondsPerMillion), "", "", "", "", "", "", "", "", "",
            ].joined(separator: ","))
        }
        try write(Data((lines.joined(separator: "\n") + "\n").utf8), to: path)
    }

    static func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw BenchError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }

    /// Fails now, before any run, when `path` cannot be written.
    static func checkWritable(_ path: String, flag: String) throws {
        let existed = FileManager.default.fileExists(atPath: path)
        guard FileManager.default.createFile(atPath: path, contents: existed ? try? Data(contentsOf: URL(fileURLWithPath: path)) : Data()) else {
            let folder = (path as NSString).deletingLastPathComponent
            throw BenchError.cannotWrite(path: path, reason: "\(flag): the folder '\(folder.isEmpty ? "." : folder)' does not exist or is not writable")
        }
        if !existed { try? FileManager.default.removeItem(atPath: path) }
    }
}
