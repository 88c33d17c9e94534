import Atomics
import SluiceCore
#if canImport(Glibc)
import Glibc
#endif

/// A live progress line on stderr, redrawn twice a second, only when stderr is a terminal.
final class ProgressLine: @unchecked Sendable {
    private let running = ManagedAtomic<Bool>(true)
    private var thread: PinnedThread?

    /// Starts drawing `label` with the count `progress()` returns, out of `total`.
    init(label: String, total: Int, progress: @escaping @Sendable () -> Int) {
        guard FileHandleOutput.standardError.isTerminal else { return }
        let running = running
        let start = MonotonicClock.nanoseconds()
        thread = try? PinnedThread(name: "sluice-progress") {
            while running.load(ordering: .relaxed) {
                usleep(500_000)
                let done = progress()
                let seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9
                let rate = seconds > 0 ? Double(done) / seconds : 0
                let percent = total > 0 ? 100 * Double(done) / Double(total) : 0
                FileHandleOutput.standardError.write(
                    "\r\u{1B}[K  \(label): \(done)/\(total) records (\(Int(percent))%), \(Int(rate)) records/s")
            }
        }
    }

    /// Stops and erases the line.
    func finish() {
        running.store(false, ordering: .relaxed)
        if let thread {
            thread.join()
            FileHandleOutput.standardError.write("\r\u{1B}[K")
        }
    }
}
