import Foundation
import Testing

@testable import SluiceBench

/// The result files of a sweep, written from constructed rows, and the plot redrawn from them.
@Suite("Sweep reports")
struct SweepReportTests {
    private func row(workers: Int, tasks: Int, recordsPerSecond: Double) -> SweepRow {
        let stages = StageFractions(
            sourceBusy: 0.25, handoffWait: 0.5, produceBusy: 0.125, outstandingRecords: 1000, workerCPU: 0.5, machineCPU: 0.9)
        return SweepRow(
            workers: workers, tasks: tasks, recordSize: 100, compression: "none", seconds: 10, records: recordsPerSecond * 10,
            recordsPerSecond: recordsPerSecond, cpuSecondsPerMillion: 0.8, brokerCPUSecondsPerMillion: 0.2, stages: stages,
            verdict: .cpu(used: 1.8, cores: 2))
    }

    private let peer = PeerFigures(
        name: "librdkafka loop", recordSize: 100, compression: "none", records: 1000, recordsPerSecond: 500_000, cpuSecondsPerMillion: 1)

    @Test("the JSON of a run carries its stages, bottleneck and verdict")
    func json() throws {
        let folder = try TemporaryFolder()
        var first = row(workers: 1, tasks: 1, recordsPerSecond: 1_000_000)
        first.efficiency = 1
        try SweepReport.writeJSON([first], peers: [peer], command: "sluice bench --workers 1", to: folder.file("s.json"))
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("s.json")))) as? [String: Any])
        let run = try #require((document["runs"] as? [[String: Any]])?.first)
        #expect(run["direction"] as? String == "source")
        #expect(run["bottleneck"] as? String == "cpu")
        #expect(run["verdict"] as? String == "cpu: 1.80 of 2 cores in use")
        #expect(run["scaling_efficiency"] as? Double == 1)
        #expect((run["stages"] as? [String: Any])?["handoff_wait"] as? Double == 0.5)
        #expect(run["lost"] == nil, "absent, not null, without verification")
        #expect((document["peers"] as? [[String: Any]])?.count == 1)
    }

    @Test("the CSV has its fixed header and one line per run and per peer")
    func csv() throws {
        let folder = try TemporaryFolder()
        try SweepReport.writeCSV([row(workers: 2, tasks: 4, recordsPerSecond: 2_000_000)], peers: [peer], to: folder.file("s.csv"))
        let lines = try String(contentsOfFile: folder.file("s.csv"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0] == "kind,name,direction,workers,tasks,record_size,compression,records_per_sec,mb_per_sec,cpu_sec_per_million,scaling_efficiency,source_busy,handoff_wait,produce_busy,worker_cpu,machine_cpu,bottleneck,lost,duplicates")
        #expect(lines[1] == "sluice,sluice,source,2,4,100,none,2000000.0,200.000,0.8000,,0.250,0.500,0.125,0.500,0.900,cpu,,")
        #expect(lines[2].hasPrefix("peer,\"librdkafka loop\",,,,100,none,500000.0,"))
    }

    @Test("the plot draws one line per worker count and redraws the same from the JSON")
    func plot() throws {
        let folder = try TemporaryFolder()
        let rows = [
            row(workers: 1, tasks: 1, recordsPerSecond: 1_000_000), row(workers: 1, tasks: 2, recordsPerSecond: 1_500_000),
            row(workers: 2, tasks: 1, recordsPerSecond: 900_000), row(workers: 2, tasks: 2, recordsPerSecond: 1_700_000),
        ]
        let svg = SweepPlot.svg(rows, peers: [peer], title: "t & <u>")
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.contains("t &amp; &lt;u&gt;"))
        #expect(svg.contains("librdkafka loop: 500k/s"))
        try SweepReport.writeJSON(rows, peers: [peer], command: "c", to: folder.file("s.json"))
        try SweepPlot.redraw(from: folder.file("s.json"), to: folder.file("again.svg"))
        let again = try String(contentsOfFile: folder.file("again.svg"), encoding: .utf8)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        #expect(again == SweepPlot.svg(rows, peers: [peer], title: "Sluice on \(cores) cores: records/s by tasks.max and workers"))
    }

    @Test("a JSON file without sweep rows is refused")
    func redrawRefuses() throws {
        let folder = try TemporaryFolder()
        try Data("{\"runs\": [{\"tasks\": 1}]}".utf8).write(to: URL(fileURLWithPath: folder.file("x.json")))
        #expect(throws: BenchError.runFailed("'\(folder.file("x.json"))' has no sweep rows (runs made without --workers?)")) {
            try SweepPlot.redraw(from: folder.file("x.json"), to: folder.file("x.svg"))
        }
    }

    @Test("scaling efficiency compares with the 1-worker, 1-task row of the same size and codec")
    func efficiency() {
        let base = row(workers: 1, tasks: 1, recordsPerSecond: 1_000_000)
        #expect(SweepHarness.efficiency(of: base, among: []) == 1)
        #expect(SweepHarness.efficiency(of: row(workers: 2, tasks: 4, recordsPerSecond: 2_000_000), among: [base]) == 0.5)
        #expect(SweepHarness.efficiency(of: row(workers: 2, tasks: 4, recordsPerSecond: 2_000_000), among: []) == nil)
    }
}
