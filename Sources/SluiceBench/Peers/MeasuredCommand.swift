import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs another program (a peer such as `kcat`) to completion and reports its wall
/// time and CPU time, from `wait4`'s resource usage.
enum MeasuredCommand {
    struct Outcome {
        var status: Int32
        var seconds: Double
        var cpuSeconds: Double
    }

    /// Runs `arguments[0]` (looked up in PATH) with its output to `outputPath` (or /dev/null).
    static func run(_ arguments: [String], outputPath: String? = nil, inputPath: String? = nil) throws -> Outcome {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inputPath ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let start = Date()
        let status = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        guard status == 0 else {
            throw BenchError.runFailed("cannot run \(arguments[0]): \(String(cString: strerror(status)))")
        }
        ChildCleanup.register(pid: pid)
        defer { ChildCleanup.unregister(pid: pid) }
        var exit: Int32 = 0
        var usage = rusage()
        while wait4(pid, &exit, 0, &usage) < 0 && errno == EINTR {}
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return Outcome(status: (exit >> 8) & 0xff, seconds: Date().timeIntervalSince(start), cpuSeconds: cpu)
    }

    /// Whether `program` is on PATH.
    static func available(_ program: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(program)")
        }
    }
}
