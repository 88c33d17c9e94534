import Foundation
import Testing

/// `sluice bench --workers`: sweeps over real worker processes.
@Suite("sluice bench --workers", .serialized)
struct BenchSweepTests {
    @Test("a verified bounded run writes JSON, CSV and an SVG plot, with stages and a verdict, and loses nothing")
    func verifiedRun() throws {
        let folder = try TemporaryFolder()
        let outcome = try SluiceProcess.run([
            "bench", "--workers", "1", "--tasks", "1,2", "--records", "200000", "--partitions", "8", "--verify", "--warmup", "0.5",
            "--json", folder.file("r.json"), "--csv", folder.file("r.csv"), "--plot", folder.file("r.svg"),
        ], timeout: 300)
        #expect(outcome.status == 0, "\(outcome.stdout)\n\(outcome.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("r.json")))) as? [String: Any]
        let runs = document?["runs"] as? [[String: Any]] ?? []
        #expect(runs.count == 2)
        for run in runs {
            #expect(run["workers"] as? Int == 1)
            #expect(run["lost"] as? Int == 0)
            #expect(run["duplicates"] as? Int == 0)
            #expect((run["records_per_sec"] as? Double ?? 0) > 0)
            #expect((run["stages"] as? [String: Any])?["source_busy"] != nil)
            #expect(["source", "produce-call", "cpu", "kafka", "round-trip"].contains(run["bottleneck"] as? String ?? ""))
        }
        #expect(runs.first?["scaling_efficiency"] as? Double == 1)
        let csv = try String(contentsOfFile: folder.file("r.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 3)
        #expect(csv.first?.hasPrefix("kind,name,direction,workers,tasks") == true)
        let svg = try String(contentsOfFile: folder.file("r.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("<polyline") && svg.contains("tasks.max") && svg.contains("1 worker"))
        // The plot can be redrawn from the saved JSON; a file that is not a sweep's is refused.
        let redrawn = try SluiceProcess.run(["bench", "--replot", folder.file("r.json"), "--plot", folder.file("again.svg")], timeout: 60)
        #expect(redrawn.status == 0, "\(redrawn.stderr)")
        #expect(try String(contentsOfFile: folder.file("again.svg"), encoding: .utf8).contains("<polyline"))
        try folder.write("not-a-sweep.json", "{\"runs\": [{\"tasks\": 1}]}")
        let refused = try SluiceProcess.run(["bench", "--replot", folder.file("not-a-sweep.json"), "--plot", folder.file("x.svg")], timeout: 60)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("has no sweep rows"), "\(refused.stderr)")
    }

    @Test("a rate-limited source is named as the bottleneck; a worker pinned to one CPU is CPU-bound")
    func verdicts() throws {
        let limited = try SluiceProcess.run([
            "bench", "--workers", "1", "--tasks", "2", "--rate", "4000", "--duration", "3s", "--warmup", "1",
        ], timeout: 300)
        #expect(limited.status == 0, "\(limited.stderr)")
        #expect(limited.stdout.contains("source: the rate limit (4000 records/s) sets the pace"), "\(limited.stdout)")
        let pinned = try SluiceProcess.run([
            "bench", "--workers", "1", "--tasks", "2", "--cpus", "0", "--duration", "3s", "--warmup", "1",
        ], timeout: 300)
        #expect(pinned.status == 0, "\(pinned.stderr)")
        #expect(pinned.stdout.contains("cpu: "), "\(pinned.stdout)")
        #expect(pinned.stdout.contains("of 1 cores in use"), "\(pinned.stdout)")
    }

    @Test("the sink direction reads a filled topic with a null sink connector and compares kcat -C")
    func sinkDirection() throws {
        let folder = try TemporaryFolder()
        let outcome = try SluiceProcess.run([
            "bench", "--workers", "1", "--tasks", "2", "--direction", "sink", "--records", "300000", "--peers",
            "--json", folder.file("s.json"),
        ], timeout: 300)
        #expect(outcome.status == 0, "\(outcome.stdout)\n\(outcome.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("s.json")))) as? [String: Any]
        let run = (document?["runs"] as? [[String: Any]])?.first
        #expect(run?["direction"] as? String == "sink")
        #expect((run?["records_per_sec"] as? Double ?? 0) > 0)
        #expect((run?["records"] as? Double ?? 0) > 0)
        let peers = document?["peers"] as? [[String: Any]] ?? []
        #expect(peers.contains { $0["name"] as? String == "kcat -C" } == MeasuredCommandProbe.kcatInstalled)
    }

    @Test("bad flags get clear errors and start nothing")
    func badFlags() throws {
        let folder = try TemporaryFolder()
        for (arguments, message) in [
            (["--workers", "1,x"], "invalid value 'x' in --workers"),
            (["--workers", "500"], "more worker processes than this machine should start"),
            (["--workers", "1", "--plot", "/no/such/folder/p.svg"], "--plot: the folder '/no/such/folder' does not exist"),
            (["--workers", "1", "--duration", "soon"], "invalid value 'soon' for --duration"),
            (["--workers", "1", "--verify", "--duration", "5s"], "--verify with --workers needs a bounded run"),
            (["--duration", "5s"], "add --workers"),
            (["--workers", "1", "-W", "novalue"], "expected name=value"),
            (["--workers", "1", "--direction", "up"], "invalid value 'up' for --direction"),
            (["--workers", "1", "--direction", "sink", "--duration", "5s"], "--direction sink reads a filled topic to its end"),
        ] {
            let outcome = try SluiceProcess.run(["bench"] + arguments + ["--json", folder.file("x.json")], timeout: 60)
            #expect(outcome.status != 0)
            #expect(outcome.stderr.contains(message), "\(arguments): \(outcome.stderr)")
        }
    }

    @Test("a worker that cannot join stops the sweep with its log tail")
    func workerFails() throws {
        let outcome = try SluiceProcess.run([
            "bench", "--workers", "1", "--tasks", "1", "--duration", "2s", "-W", "session.timeout.ms=abc",
        ], timeout: 120)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("worker 0 exited before serving"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("session.timeout.ms"), "the log tail names the bad setting: \(outcome.stderr)")
    }

    @Test("Ctrl-C stops the workers and removes the temporary folders")
    func interrupt() throws {
        let process = Process()
        process.executableURL = SluiceProcess.executable
        process.arguments = ["bench", "--workers", "2", "--tasks", "2", "--duration", "120s", "--warmup", "1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let prefix = "sluice-sweep-\(pid)-"
        func children() -> [Int32] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap(Int32.init).filter { candidate in
                guard let data = FileManager.default.contents(atPath: "/proc/\(candidate)/cmdline") else { return false }
                return String(decoding: data, as: UTF8.self).contains(prefix)
            }
        }
        let started = eventually(seconds: 60) { children().count == 2 }
        #expect(started, "the workers never started")
        usleep(1_500_000)
        kill(pid, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(eventually(seconds: 10) { children().isEmpty }, "workers left running: \(children())")
        let temporary = (try? FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)) ?? []
        #expect(!temporary.contains { $0.hasPrefix(prefix) }, "temporary folders left behind")
    }
}

/// Whether this machine has kcat (the peers appear only when it does).
enum MeasuredCommandProbe {
    static var kcatInstalled: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/kcat")
        }
    }
}
