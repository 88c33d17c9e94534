import Foundation

/// The terminal table and JSON file of `sluice bench`.
enum BenchReport {
    static let columns = [
        "tasks", "size", "compression", "mode", "records/s", "MB/s", "cpu s/M", "p50 ms", "p99 ms", "peak RSS MB",
        "raw records/s", "ratio", "lost", "dup",
    ]

    static func cells(_ row: BenchRow) -> [String] {
        [
            String(row.tasks), String(row.recordSize), row.compression, row.mode, format(row.recordsPerSecond, 0),
            format(row.megabytesPerSecond, 1), format(row.cpuSecondsPerMillion, 3),
            format(row.p50Milliseconds, 2), format(row.p99Milliseconds, 2), format(row.peakRSSMegabytes, 1),
            row.raw.map { format($0.recordsPerSecond, 0) } ?? "-", row.ratioToRaw.map { format($0, 2) } ?? "-",
            row.lost.map(String.init) ?? "-", row.duplicates.map(String.init) ?? "-",
        ]
    }

    /// A fixed-width table, one line per row.
    static func table(_ rows: [BenchRow]) -> String {
        let body = rows.map(cells)
        let widths = columns.indices.map { column in
            ([columns[column]] + body.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { cell, width in String(repeating: " ", count: width - cell.count) + cell }
                .joined(separator: "  ")
        }
        return ([line(columns)] + body.map(line)).joined(separator: "\n") + "\n"
    }

    /// `{"machine": ..., "command": ..., "runs": [...]}` written to `path`.
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

    static func writeJSON(_ rows: [BenchRow], peers: [PeerFigures] = [], command: String, to path: String) throws {
        let document: [String: Any] = [
            "command": command,
            "machine": machine,
            "runs": rows.map { row in row.json.mapValues { $0 ?? NSNull() } },
            "peers": peers.map(\.json),
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        try SweepReport.write(data, to: path)
    }

    static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }

    /// One line per run, then one per peer, with the JSON's field names as columns.
    static func writeCSV(_ rows: [BenchRow], peers: [PeerFigures], to path: String) throws {
        let names = [
            "workers", "tasks", "compression", "mode", "record_size", "records", "seconds", "records_per_sec", "mb_per_sec",
            "cpu_sec_per_million", "p50_ms", "p99_ms", "peak_rss_mb", "raw_records_per_sec", "ratio_to_raw", "lost", "duplicates",
        ]
        var lines = (["kind", "name"] + names).joined(separator: ",")
        for row in rows {
            let json = row.json
            lines += "\nsluice,sluice," + names.map { name in (json[name] ?? nil).map { "\($0)" } ?? "" }.joined(separator: ",")
        }
        for peer in peers {
            let json = peer.json
            lines += "\npeer,\"\(peer.name)\"," + names.map { name in json[name].map { "\($0)" } ?? "" }.joined(separator: ",")
        }
        try SweepReport.write(Data((lines + "\n").utf8), to: path)
    }
}
