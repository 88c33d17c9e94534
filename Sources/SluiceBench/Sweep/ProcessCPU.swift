import Foundation

/// CPU seconds (user + system) a process has used so far, from `/proc/<pid>/stat`.
enum ProcessCPU {
    /// Clock ticks per second (`_SC_CLK_TCK`).
    static let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// The process's CPU seconds, or nil when it is gone.
    static func seconds(pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name: state is field 3; utime and stime are 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / ticks
    }

    /// Seconds the process's threads spent runnable but waiting for a core (the
    /// second field of each `/proc/<pid>/task/<tid>/schedstat`), or nil when it is
    /// gone. Threads that ended are not counted.
    static func waitingSeconds(pid: Int32) -> Double? {
        guard let threads = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return nil }
        var nanoseconds = 0.0
        for thread in threads {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(thread)/schedstat", encoding: .utf8) else { continue }
            let fields = text.split(separator: " ")
            if fields.count >= 2, let waited = Double(fields[1]) { nanoseconds += waited }
        }
        return nanoseconds / 1e9
    }
}
