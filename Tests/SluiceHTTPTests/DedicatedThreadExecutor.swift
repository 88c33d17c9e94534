import Foundation

/// A task executor with one thread of its own, which runs the jobs given to it in
/// order. Tests start a ``ListeningRestServer`` on it: swift-testing runs the
/// package's synchronous tests on the cooperative threads (two on a two-core
/// machine), and while they block there a server on those threads would not answer.
///
/// The thread lives as long as the process; one executor serves every test.
final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    /// The executor the HTTP tests share.
    static let shared = DedicatedThreadExecutor(name: "sluice-test-http")

    private let condition = NSCondition()
    /// Jobs not yet run, behind `condition`.
    private var jobs: [UnownedJob] = []

    private init(name: String) {
        let thread = Thread { [unowned self] in self.run() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
