import Foundation
import SluiceBench
import Testing

/// A sweep run from code in a process that is not `sluice`: its workers start from
/// `workerExecutable`, here against an embedded cluster in the test process.
@Suite("Sweeps from code", .serialized)
struct SweepHarnessTests {
    @Test("a verified bounded sweep from code loses nothing and names a bottleneck")
    func sweepFromCode() throws {
        var plan = SweepPlan(workerExecutable: SluiceProcess.executable.path)
        plan.cluster = .embedded
        plan.taskCounts = [1, 2]
        plan.records = 100_000
        plan.partitions = 8
        plan.verify = true
        let results = try SweepHarness.run(plan, output: .silent)
        #expect(results.rows.map(\.tasks) == [1, 2])
        for row in results.rows {
            #expect(row.workers == 1)
            #expect(row.recordsPerSecond > 0)
            #expect(row.lost == 0)
            #expect(row.duplicates == 0)
            #expect(["source", "produce-call", "cpu", "kafka", "round-trip"].contains(row.verdict.stage))
        }
        #expect(results.rows.first?.efficiency == 1)
    }

    @Test("a worker executable that is not sluice stops the sweep with a clear error")
    func wrongExecutable() throws {
        var plan = SweepPlan(workerExecutable: "/bin/false")
        plan.cluster = .embedded
        plan.duration = 1
        #expect {
            _ = try SweepHarness.run(plan, output: .silent)
        } throws: { error in
            guard case let .workerFailed(reason, _) = error as? BenchError else { return false }
            return reason.contains("worker 0 exited before serving")
        }
    }
}
