import Atomics
import SluiceCore
#if canImport(Glibc)
import Glibc
#endif

/// A live progress line on the output's diagnostics, redrawn twice a second, only
/// when the output draws progress (``BenchOutput/drawsProgress``).
final class ProgressLine: @unchecked Sendable {
    private let running = ManagedAtomic<Bool>(true)
    private var thread: PinnedThread?
    private let output: BenchOutput

    /// Starts drawing `label` with the count `progress()` returns, out of `total`.
    init(label: String, total: Int, output: BenchOutput, progress: @escaping @Sendable () -> Int) {
        self.output = output
        guard output.drawsProgress else { return }
        let running = running
        let start = MonotonicClock.nanoseconds()
        thread = try? PinnedThread(name: "sluice-progress") {
            while running.load(ordering: .relaxed) {
                usleep(500_000)
                let done = progress()
                let seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9
                let rate = seconds > 0 ? Double(done) / seconds : 0
                let percent = total > 0 ? 100 * Double(done) / Double(total) : 0
                output.diagnostics(
                    "\r\u{1B}[K  \(label): \(done)/\(total) records (\(Int(percent))%), \(Int(rate)) records/s")
            }
        }
    }

    /// Stops and erases the line.
    func finish() {
        running.store(false, ordering: .relaxed)
        if let thread {
            thread.join()
            output.diagnostics("\r\u{1B}[K")
        }
    }
}
