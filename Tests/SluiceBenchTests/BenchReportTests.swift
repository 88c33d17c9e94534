import Foundation
import Testing

@testable import SluiceBench

/// The result files of an in-process benchmark, written from a constructed row.
@Suite("Benchmark reports")
struct BenchReportTests {
    private func row(verified: Bool) -> BenchRow {
        var row = BenchRow(
            tasks: 2, compression: "lz4", mode: "direct", recordSize: 100, records: 50_000, seconds: 0.5,
            recordsPerSecond: 100_000, megabytesPerSecond: 11, cpuSecondsPerMillion: 0.75, p50Milliseconds: 1.25,
            p99Milliseconds: 4.5, peakRSSMegabytes: 80, failed: 0)
        row.raw = BenchRow.RawFigures(recordsPerSecond: 80_000, cpuSecondsPerMillion: 0.5, peakRSSMegabytes: 60)
        if verified {
            row.lost = 0
            row.duplicates = 3
            row.brokerBusy = 0.5
            row.raw?.brokerBusy = 0.25
        }
        return row
    }

    private let peer = PeerFigures(
        name: "kcat -P", recordSize: 100, compression: "lz4", records: 50_000, recordsPerSecond: 90_000, cpuSecondsPerMillion: 1.5)

    @Test("the JSON holds command, machine, every documented field of a run, and the peers")
    func json() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("bench.json")
        try BenchReport.writeJSON([row(verified: true)], peers: [peer], command: "sluice bench --tasks 2", to: path)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        #expect(document["command"] as? String == "sluice bench --tasks 2")
        #expect((document["machine"] as? [String: Any])?["cpus"] as? Int == ProcessInfo.processInfo.activeProcessorCount)
        let runs = try #require(document["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let run = runs[0]
        #expect(Set(run.keys) == [
            "workers", "tasks", "compression", "mode", "record_size", "records", "seconds", "records_per_sec", "mb_per_sec",
            "cpu_sec_per_million", "p50_ms", "p99_ms", "peak_rss_mb", "failed", "repeats", "queue_full_waits",
            "raw_records_per_sec", "raw_cpu_sec_per_million", "ratio_to_raw", "lost", "duplicates",
            "broker_busy", "raw_broker_busy",
        ])
        #expect(run["broker_busy"] as? Double == 0.5)
        #expect(run["raw_broker_busy"] as? Double == 0.25)
        #expect(run["workers"] as? Int == 1)
        #expect(run["tasks"] as? Int == 2)
        #expect(run["records_per_sec"] as? Double == 100_000)
        #expect(run["ratio_to_raw"] as? Double == 1.25)
        #expect(run["duplicates"] as? Int == 3)
        let peers = try #require(document["peers"] as? [[String: Any]])
        #expect(peers.first?["name"] as? String == "kcat -P")
        #expect(peers.first?["records_per_sec"] as? Double == 90_000)
    }

    @Test("without verification and without the raw loop, those fields are null")
    func jsonNulls() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("nulls.json")
        var unverified = row(verified: false)
        unverified.raw = nil
        try BenchReport.writeJSON([unverified], command: "c", to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for key in ["lost", "duplicates", "raw_records_per_sec", "ratio_to_raw", "broker_busy"] {
            #expect(text.contains("\"\(key)\" : null"), "\(key) in \(text)")
        }
    }

    @Test("the CSV has one header, one line per row and per peer, with the JSON's names")
    func csv() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("bench.csv")
        try BenchReport.writeCSV([row(verified: true)], peers: [peer], to: path)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4)
        #expect(lines[0] == "kind,name,workers,tasks,compression,mode,record_size,records,seconds,records_per_sec,mb_per_sec,cpu_sec_per_million,p50_ms,p99_ms,peak_rss_mb,raw_records_per_sec,ratio_to_raw,lost,duplicates,broker_busy,raw_broker_busy")
        #expect(lines[1] == "sluice,sluice,1,2,lz4,direct,100,50000,0.5,100000.0,11.0,0.75,1.25,4.5,80.0,80000.0,1.25,0,3,0.5,0.25")
        #expect(lines[2] == "peer,\"kcat -P\",,,lz4,,100,50000,,90000.0,,1.5,,,,,,,,,")
        #expect(lines[3].isEmpty)
    }

    @Test("the table has a header and one aligned line per row")
    func table() {
        let table = BenchReport.table([row(verified: true), row(verified: false)])
        let lines = table.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasSuffix("raw records/s  ratio  lost  dup     broker"))
        #expect(lines[1].hasSuffix("80000   1.25     0    3  0.50/0.25"))
        #expect(lines[2].hasSuffix("80000   1.25     -    -          -"))
        #expect(Set(lines.map(\.count)).count == 1, "all lines as wide as the header:\n\(table)")
    }

    @Test("a file that cannot be written is an error naming it")
    func unwritable() {
        #expect {
            try BenchReport.writeCSV([row(verified: false)], to: "/nonexistent-dir/out.csv")
        } throws: { error in
            guard case let .cannotWrite(path, _) = error as? BenchError else { return false }
            return path == "/nonexistent-dir/out.csv"
        }
    }
}

/// A folder under the temporary directory, removed when the value is released.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
