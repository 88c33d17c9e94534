import Foundation

/// The terminal table, JSON and CSV of an in-process benchmark (`sluice bench`).
///
/// ```swift
/// let results = try BenchHarness.run(plan, output: .silent)
/// print(BenchReport.table(results.rows))
/// try BenchReport.writeJSON(results.rows, peers: results.peers, command: "my-bench", to: "out.json")
/// ```
public enum BenchReport {
    static let columns = [
        "tasks", "size", "compression", "mode", "records/s", "MB/s", "cpu s/M", "p50 ms", "p99 ms", "peak RSS MB",
        "raw records/s", "ratio", "lost", "dup", "broker",
    ]

    static func cells(_ row: BenchRow) -> [String] {
        [
            String(row.tasks), String(row.recordSize), row.compression, row.mode, format(row.recordsPerSecond, 0),
            format(row.megabytesPerSecond, 1), format(row.cpuSecondsPerMillion, 3),
            format(row.p50Milliseconds, 2), format(row.p99Milliseconds, 2), format(row.peakRSSMegabytes, 1),
            row.raw.map { format($0.recordsPerSecond, 0) } ?? "-", row.ratioToRaw.map { format($0, 2) } ?? "-",
            row.lost.map(String.init) ?? "-", row.duplicates.map(String.init) ?? "-",
            row.brokerBusy.map { format($0, 2) + (row.raw?.brokerBusy).map { "/" + format($0, 2) }.orEmpty } ?? "-",
        ]
    }

    /// A fixed-width table: a header line, then one line per row.
    public static func table(_ rows: [BenchRow]) -> String {
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

    /// Writes `{"command", "machine", "runs": [...], "peers": [...]}` to `path`, with
    /// each row's fields as ``BenchRow`` documents them (`null` where a row has none).
    /// - Throws: ``BenchError/cannotWrite(path:reason:)``.
    public static func writeJSON(_ rows: [BenchRow], peers: [PeerFigures] = [], command: String, to path: String) throws {
        try ReportFile.writeJSON(
            runs: rows.map { row in row.json.mapValues { $0 ?? NSNull() } }, peers: peers, command: command, to: path)
    }

    static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }

    /// Writes one line per row, then one per peer, with the JSON's field names as
    /// columns after `kind` (`sluice` or `peer`) and `name`.
    /// - Throws: ``BenchError/cannotWrite(path:reason:)``.
    public static func writeCSV(_ rows: [BenchRow], peers: [PeerFigures] = [], to path: String) throws {
        let names = [
            "workers", "tasks", "compression", "mode", "record_size", "records", "seconds", "records_per_sec", "mb_per_sec",
            "cpu_sec_per_million", "p50_ms", "p99_ms", "peak_rss_mb", "raw_records_per_sec", "ratio_to_raw", "lost", "duplicates",
            "broker_busy", "raw_broker_busy",
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
        try ReportFile.write(Data((lines + "\n").utf8), to: path)
    }
}

extension Optional where Wrapped == String {
    /// The string, or empty for nil.
    fileprivate var orEmpty: String { self ?? "" }
}
