import Foundation
import Synchronization
import Testing

@testable import SluiceBench

/// In-process benchmarks run from code, on an embedded cluster in this process.
@Suite("Benchmarks from code", .serialized)
struct BenchHarnessTests {
    /// A small plan: no warm-up, one run.
    private func smallPlan(records: Int) -> BenchPlan {
        var plan = BenchPlan()
        plan.records = records
        plan.warmupRecords = 0
        return plan
    }

    @Test("a verified run returns a row with records/s, the raw loop's ratio, and nothing lost; the report and files follow")
    func verifiedRun() throws {
        let folder = try TemporaryFolder()
        var plan = smallPlan(records: 50_000)
        plan.verify = true
        plan.jsonPath = folder.file("r.json")
        plan.csvPath = folder.file("r.csv")
        plan.command = "from code"
        let report = Mutex("")
        let output = BenchOutput(report: { text in report.withLock { $0 += text } })

        let results = try BenchHarness.run(plan, output: output)

        #expect(results.rows.count == 1)
        let row = try #require(results.rows.first)
        #expect(row.tasks == 1 && row.records == 50_000 && row.compression == "none" && row.mode == "direct")
        #expect(row.recordsPerSecond > 0)
        #expect(row.failed == 0)
        let ratio = try #require(row.ratioToRaw)
        #expect(ratio > 0)
        #expect(row.lost == 0)
        #expect(row.duplicates == 0)
        #expect(results.peers.isEmpty)
        let text = report.withLock { $0 }
        #expect(text.hasPrefix("sluice bench: 50000 records of 100 bytes, 4 partitions, cluster embedded (127.0.0.1:"), "\(text)")
        #expect(text.contains("(run 1)"))
        #expect(text.contains(BenchReport.table(results.rows)))
        #expect(text.contains("results written to \(folder.file("r.json"))"))
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("r.json")))) as? [String: Any]
        #expect(document?["command"] as? String == "from code")
        #expect((document?["runs"] as? [[String: Any]])?.first?["lost"] as? Int == 0)
        #expect(try String(contentsOfFile: folder.file("r.csv"), encoding: .utf8).split(separator: "\n").count == 2)
    }

    @Test("one row per combination, record size then tasks then codec; without the raw loop there is no ratio")
    func combinations() throws {
        var plan = smallPlan(records: 20_000)
        plan.taskCounts = [1, 2]
        plan.compressions = [.none, .lz4]
        plan.skipRaw = true
        let results = try BenchHarness.run(plan, output: .silent)
        #expect(results.rows.map { "\($0.tasks) \($0.compression)" } == ["1 none", "1 lz4", "2 none", "2 lz4"])
        for row in results.rows {
            #expect(row.recordsPerSecond > 0)
            #expect(row.raw == nil && row.ratioToRaw == nil)
            #expect(row.lost == nil && row.duplicates == nil)
        }
    }

    @Test("an unreachable cluster fails within the connect timeout, naming the address")
    func unreachable() throws {
        var plan = smallPlan(records: 1000)
        plan.cluster = .bootstrapServers("127.0.0.1:1")
        plan.connectTimeoutMs = 1000
        let start = Date()
        #expect {
            _ = try BenchHarness.run(plan, output: .silent)
        } throws: { error in
            "\(error)".contains("cannot reach Kafka at 127.0.0.1:1 within 1000 ms")
        }
        #expect(Date().timeIntervalSince(start) < 15)
    }

    @Test("an invalid plan fails before anything starts")
    func invalidPlan() {
        var plan = smallPlan(records: 1000)
        plan.taskCounts = [0]
        #expect(throws: BenchError.invalidListElement("0", option: "--tasks", reason: "expected a positive integer")) {
            _ = try BenchHarness.run(plan, output: .silent)
        }
    }
}
