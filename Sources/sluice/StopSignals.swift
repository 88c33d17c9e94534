#if canImport(Glibc)
import Glibc
#endif

/// SIGINT and SIGTERM, blocked in every thread so that one `sigwait` receives them:
/// how `broker`, `standalone` and `worker` wait for their stop signal.
struct StopSignals {
    private(set) var set = sigset_t()

    /// Blocks SIGINT and SIGTERM in the calling thread and the threads it starts later
    /// (call it first, before any thread is started).
    static func block() -> StopSignals {
        var signals = StopSignals()
        sigemptyset(&signals.set)
        sigaddset(&signals.set, SIGINT)
        sigaddset(&signals.set, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals.set, nil)
        return signals
    }

    /// Waits for one of them and returns its number.
    func wait() -> Int32 {
        var copy = set
        var received: Int32 = 0
        sigwait(&copy, &received)
        return received
    }

    /// Waits at most `seconds`; nil when none arrived.
    func wait(seconds: Int) -> Int32? {
        var copy = set
        var timeout = timespec(tv_sec: seconds, tv_nsec: 0)
        let signal = sigtimedwait(&copy, nil, &timeout)
        return signal > 0 ? signal : nil
    }
}
