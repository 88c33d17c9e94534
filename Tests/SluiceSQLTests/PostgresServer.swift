import CPostgres
import Foundation
import Testing

@testable import SluiceSQL

/// A private PostgreSQL server for one test suite: its own data directory in a temporary
/// folder, a free loopback port, password (SCRAM) authentication over TCP, and its unix
/// socket inside the folder. Never the system service.
///
/// ```swift
/// @Suite(.privatePostgresServer) struct MyTests {
///     @Test func reads() throws {
///         let server = try #require(PostgresServer.current)
///         let db = try server.connect(database: server.createDatabase())
///     }
/// }
/// ```
///
/// PostgreSQL refuses to run as root; as root, `initdb` and `postgres` run as the
/// `postgres` user (`runuser`), which owns the folder. The server runs under a small shell
/// that holds the read end of a pipe whose write end only this object holds: closing it
/// (``stop()``), or this process dying, makes the shell shut the server down (SIGINT, fast
/// shutdown) and then remove the folder, so a crashed test run leaves nothing behind.
final class PostgresServer: @unchecked Sendable {
    // @unchecked Sendable: every stored property is a `let` set in init except `stopped`,
    // which only `stop()` touches, under `lock`.

    /// The server of the suite running under ``PrivatePostgresServer``.
    @TaskLocal static var current: PostgresServer?

    static let binaries = "/usr/lib/postgresql/15/bin"
    /// The superuser's name.
    let user = "sluice"
    /// The superuser's password.
    let password = "pg-Secret-\(UInt32.random(in: 100_000...999_999))"
    /// The TCP port on 127.0.0.1.
    let port: Int
    /// The temporary folder: `data/`, the socket, `postgres.log`.
    let folder: String

    /// The shell watching `postgres` (through `runuser` as root).
    private let server: ChildProcess
    /// The write end of the pipe the shell reads; closing it stops the server.
    private let lifeline: Int32
    private let lock = NSLock()
    private var stopped = false
    private let databaseCount = NameCounter()

    /// Creates a data directory and starts a server on it; returns once it accepts connections.
    init() throws {
        var template = Array("/tmp/sluice-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw PostgresServerError("mkdtemp failed: errno \(errno)") }
        folder = String(cString: made)
        do {
            try Self.handOver(folder)
            try Self.initialize(folder: folder, user: user, password: password)
            (port, server, lifeline) = try Self.start(folder: folder)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    deinit { stop() }

    /// `jdbc:postgresql://127.0.0.1:PORT/database`.
    func url(database: String) -> String { "jdbc:postgresql://127.0.0.1:\(port)/\(database)" }

    /// A connection to `database` as the superuser.
    func connect(database: String = "postgres") throws -> PostgresDatabase {
        try PostgresDatabase(
            url: JdbcURL(url(database: database)), user: user, password: password, connectTimeoutSeconds: 10)
    }

    /// Creates a new, empty database and returns its name (`test_1`, `test_2`, ...).
    @discardableResult
    func createDatabase(_ name: String? = nil) throws -> String {
        let name = name ?? "test_\(databaseCount.next())"
        let admin = try connect()
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \"\(name)\"")
        return name
    }

    /// Stops the server (fast shutdown) and removes the folder; later calls do nothing.
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        Foundation.close(lifeline)
        if !server.waitForExit(seconds: 30) {
            // The shell did not manage. While it runs, the postmaster is alive or its unreaped
            // child, so the pid in postmaster.pid is not someone else's: stop it at once.
            if let text = try? String(contentsOfFile: folder + "/data/postmaster.pid", encoding: .utf8),
                let pid = Int32(text.prefix { $0 != "\n" })
            {
                kill(pid, SIGQUIT)
            }
            server.signal(SIGKILL)
            _ = server.waitForExit(seconds: 10)
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    // MARK: Starting

    private static var asRoot: Bool { getuid() == 0 }

    /// `arguments` run in `folder` as the user who owns it (`postgres` when we are root).
    private static func command(in folder: String, _ arguments: [String]) -> [String] {
        let inFolder = ["/bin/sh", "-c", "cd \"$1\" || exit 1; shift; exec \"$@\"", "sh", folder] + arguments
        return asRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + inFolder : inFolder
    }

    /// Gives `folder` to the `postgres` user when we are root.
    private static func handOver(_ path: String) throws {
        guard asRoot else { return }
        guard let account = getpwnam("postgres") else {
            throw PostgresServerError("running as root and there is no postgres user")
        }
        guard chown(path, account.pointee.pw_uid, account.pointee.pw_gid) == 0 else {
            throw PostgresServerError("chown \(path) failed: errno \(errno)")
        }
    }

    /// Runs `initdb`: superuser `user` with `password`, SCRAM over TCP, trust only on the
    /// private unix socket.
    private static func initialize(folder: String, user: String, password: String) throws {
        let passwordFile = folder + "/password"
        guard
            FileManager.default.createFile(
                atPath: passwordFile, contents: Data((password + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw PostgresServerError("cannot write \(passwordFile)")
        }
        try handOver(passwordFile)
        defer { try? FileManager.default.removeItem(atPath: passwordFile) }
        let arguments = command(
            in: folder,
            [
                binaries + "/initdb", "-D", folder + "/data", "-U", user, "--pwfile=" + passwordFile,
                "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync",
                "--no-instructions",
            ])
        let log = folder + "/initdb.log"
        let initdb = try ChildProcess(arguments, output: log)
        guard initdb.waitForExit(seconds: 300), initdb.status == 0 else {
            initdb.signal(SIGKILL)
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw PostgresServerError("initdb failed (\(initdb.status.map(String.init) ?? "did not finish")):\n\(text)")
        }
    }

    /// Starts the server on a free port, trying another when the chosen one was taken meanwhile.
    private static func start(folder: String) throws -> (Int, ChildProcess, Int32) {
        var attempt = 0
        while true {
            attempt += 1
            let port = try freePort()
            let (process, lifeline) = try launch(folder: folder, port: port)
            do {
                try waitUntilReady(port: port, process: process, log: folder + "/postgres.log")
                return (port, process, lifeline)
            } catch {
                Foundation.close(lifeline)
                if !process.waitForExit(seconds: 30) { process.signal(SIGKILL) }
                guard let error = error as? PostgresServerError, error.portTaken, attempt < 5 else { throw error }
            }
        }
    }

    /// Starts `postgres` under the watching shell; stdin is the lifeline.
    private static func launch(folder: String, port: Int) throws -> (ChildProcess, Int32) {
        // Small and fast (no fsync, no WAL beyond the minimum, no autovacuum). The session
        // defaults are deliberately unlike what Sluice needs (a +05:30 zone, SQL-style dates,
        // escaped bytea), so the tests show that PostgresDatabase sets its own.
        let script = """
            exec 3<&0 </dev/null
            "$1" -D "$2" -p "$3" -k "$2/.." -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
              -c full_page_writes=off -c shared_buffers=16MB -c max_connections=50 -c autovacuum=off \
              -c wal_level=minimal -c max_wal_senders=0 -c TimeZone=Asia/Kolkata -c DateStyle=SQL,DMY \
              -c bytea_output=escape 3<&- >"$4" 2>&1 &
            server=$!
            (read ignored <&3; : >"$5/.stopping"; kill -INT "$server" 2>/dev/null) &
            watcher=$!
            exec 3<&-
            wait "$server"
            status=$?
            if [ -e "$5/.stopping" ]; then rm -rf "$5"; else kill "$watcher" 2>/dev/null; fi
            exit $status
            """
        let arguments = command(
            in: folder,
            [
                "/bin/sh", "-c", script, "sh", binaries + "/postgres", folder + "/data", String(port),
                folder + "/postgres.log", folder,
            ])
        // The write end is close-on-exec, so that no other child holds it open.
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw PostgresServerError("pipe failed: errno \(errno)") }
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        defer { Foundation.close(ends[0]) }
        do {
            let process = try ChildProcess(arguments, stdin: ends[0], output: "/dev/null")
            return (process, ends[1])
        } catch {
            Foundation.close(ends[1])
            throw error
        }
    }

    /// Waits (up to a minute) until the server on `port` accepts connections.
    private static func waitUntilReady(port: Int, process: ChildProcess, log: String) throws {
        let deadline = Date().addingTimeInterval(60)
        let conninfo = "host=127.0.0.1 port=\(port) dbname=postgres connect_timeout=2"
        while Date() < deadline {
            if PQping(conninfo) == PQPING_OK { return }
            if process.hasExited {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                var error = PostgresServerError("postgres exited (\(process.status.map(String.init) ?? "?")):\n\(text)")
                error.portTaken = text.contains("could not bind") || text.contains("already in use")
                throw error
            }
            usleep(50_000)
        }
        throw PostgresServerError("postgres did not accept connections on port \(port) within 60 s")
    }

    /// A loopback port nothing listens on (the kernel's pick for a bind to port 0).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PostgresServerError("socket failed: errno \(errno)") }
        defer { Foundation.close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw PostgresServerError("bind to 127.0.0.1:0 failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A child process started with an empty signal mask and default signal dispositions.
///
/// Not Foundation's `Process`: that spawns from the calling thread, and Swift's worker
/// threads block SIGCHLD, SIGINT, SIGTERM and more; children inherit the mask, and a shell
/// that inherits a blocked SIGCHLD never returns from `wait`. Ownership: `pid` is this
/// object's child and is reaped exactly once, by ``hasExited`` or ``waitForExit(seconds:)``.
private final class ChildProcess {
    let pid: pid_t
    /// The exit status once reaped (nil when still running, or killed by a signal).
    private(set) var status: Int32?
    private var reaped = false

    /// Starts `arguments[0]` (a path) with `stdin` (or /dev/null) as its standard input and
    /// stdout and stderr appended to `output`.
    init(_ arguments: [String], stdin: Int32? = nil, output: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdin {
            posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGCHLD, SIGUSR1, SIGUSR2] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard result == 0 else { throw PostgresServerError("cannot start \(arguments[0]): errno \(result)") }
        self.pid = pid
    }

    /// Whether the child has exited (reaping it if so).
    var hasExited: Bool {
        if reaped { return true }
        var raw: Int32 = 0
        let result = waitpid(pid, &raw, WNOHANG)
        guard result == pid || (result == -1 && errno == ECHILD) else { return false }
        reaped = true
        // WIFEXITED / WEXITSTATUS, which Swift does not import.
        if result == pid && raw & 0x7f == 0 { status = (raw >> 8) & 0xff }
        return true
    }

    /// Waits up to `seconds` for the child to exit; whether it did.
    func waitForExit(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !hasExited {
            guard Date() < deadline else { return false }
            usleep(20_000)
        }
        return true
    }

    /// Sends `signal` unless the child has been reaped (its pid may be someone else's then).
    func signal(_ signal: Int32) {
        if !reaped { kill(pid, signal) }
    }
}

/// Why the test server could not start.
struct PostgresServerError: Error, CustomStringConvertible {
    var description: String
    var portTaken = false
    init(_ description: String) { self.description = description }
}

/// A counter for unique names across parallel tests.
private final class NameCounter: @unchecked Sendable {
    // @unchecked Sendable: `value` is read and written only under `lock`.
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

/// Starts a ``PostgresServer`` once for a suite, exposes it as ``PostgresServer/current``
/// to the suite's tests, and stops it when the suite ends, whether its tests pass or fail.
struct PrivatePostgresServer: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try PostgresServer()
        defer { server.stop() }
        try await PostgresServer.$current.withValue(server) { try await function() }
    }
}

extension Trait where Self == PrivatePostgresServer {
    /// Runs the suite against its own PostgreSQL server (see ``PostgresServer``).
    static var privatePostgresServer: Self { Self() }
}
