import Foundation
import Testing

@Suite("sluice bench on the embedded cluster")
struct BenchCommandTests {
    @Test("a verified sweep delivers every record once and writes the JSON it promises")
    func verifiedSweep() throws {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: json) }
        let outcome = try SluiceProcess.run([
            "bench", "--records", "60000", "--tasks", "1,2", "--compression", "none,lz4", "--partitions", "8",
            "--verify", "--warmup-records", "0", "--json", json.path,
        ])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any]
        let runs = try #require(document?["runs"] as? [[String: Any]])
        #expect(runs.count == 4)
        let keys = [
            "workers", "tasks", "compression", "record_size", "records", "records_per_sec", "mb_per_sec",
            "cpu_sec_per_million", "p50_ms", "p99_ms", "peak_rss_mb", "raw_records_per_sec", "ratio_to_raw",
            "lost", "duplicates",
        ]
        for run in runs {
            for key in keys { #expect(run[key] != nil, "missing \(key)") }
            #expect(run["lost"] as? Int == 0)
            #expect(run["duplicates"] as? Int == 0)
            #expect((run["records_per_sec"] as? Double ?? 0) > 0)
            #expect((run["raw_records_per_sec"] as? Double ?? 0) > 0)
        }
        #expect(Set(runs.compactMap { $0["tasks"] as? Int }) == [1, 2])
        #expect(Set(runs.compactMap { $0["compression"] as? String }) == ["none", "lz4"])
        #expect(outcome.stdout.contains("ratio"))
    }

    @Test("without --verify the verification fields are null")
    func unverifiedNulls() throws {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-nv-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: json) }
        let outcome = try SluiceProcess.run([
            "bench", "--records", "20000", "--warmup-records", "0", "--skip-raw", "--json", json.path,
        ])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        let text = try String(contentsOf: json, encoding: .utf8)
        #expect(text.contains("\"lost\" : null"))
        #expect(text.contains("\"duplicates\" : null"))
        #expect(text.contains("\"raw_records_per_sec\" : null"))
    }

    @Test("records the broker dropped before they were read make the check incomplete, never 'lost'")
    func truncatedVerification() throws {
        // A separate broker, so the topic is read back after the run; 400,000 records
        // over one partition overflow the mock broker's 5 MiB window for sure.
        let broker = try BrokerProcess(topics: [])
        let outcome = try SluiceProcess.run([
            "bench", "--bootstrap-servers", broker.bootstrapServers, "--records", "400000", "--partitions", "1",
            "--verify", "--skip-raw", "--warmup-records", "0",
        ], timeout: 120)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("is incomplete: the embedded broker dropped records before they were read"), "stderr: \(outcome.stderr)")
        #expect(!outcome.stderr.contains(" lost"), "stderr: \(outcome.stderr)")
    }

    @Test("a JSON path that cannot be written is a clear error")
    func unwritableJSON() throws {
        let outcome = try SluiceProcess.run([
            "bench", "--records", "1000", "--warmup-records", "0", "--skip-raw", "--json", "/nonexistent-dir/out.json",
        ])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("cannot write '/nonexistent-dir/out.json'"), "stderr: \(outcome.stderr)")
    }
}
