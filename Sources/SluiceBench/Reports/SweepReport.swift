import Foundation

/// The terminal table, JSON and CSV of a sweep over worker processes (`sluice bench --workers`).
public enum SweepReport {
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

    /// An aligned table, one line per row ending in its verdict, then the peers
    /// compared with the 1-worker, 1-task row of the same record size and codec.
    public static func table(_ rows: [SweepRow], peers: [PeerFigures] = []) -> String {
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

    /// Writes the schema of the in-process benchmark's JSON, with `direction`,
    /// `workers`, `stages`, `bottleneck`, `verdict`, `scaling_efficiency` per run and a
    /// `peers` list, to `path`.
    /// - Throws: ``BenchError/cannotWrite(path:reason:)``.
    public static func writeJSON(_ rows: [SweepRow], peers: [PeerFigures] = [], command: String, to path: String) throws {
        try ReportFile.writeJSON(runs: rows.map(\.json), peers: peers, command: command, to: path)
    }

    /// Writes one line per run, then one per peer (`kind` says which), to `path`.
    /// - Throws: ``BenchError/cannotWrite(path:reason:)``.
    public static func writeCSV(_ rows: [SweepRow], peers: [PeerFigures] = [], to path: String) throws {
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
        try ReportFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: path)
    }
}
