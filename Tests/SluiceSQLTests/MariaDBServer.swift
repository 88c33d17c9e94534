import Foundation
import Synchronization
import Testing

/// A private MariaDB server for tests: a fresh data folder under the temporary
/// directory, `mariadbd` on a free loopback port and a socket in that folder, a
/// `sluice`@`%` user with a password, and nothing of the system's service or its
/// configuration (`--no-defaults` everywhere).
///
/// ``stop()`` (also run by `deinit`) stops the server and removes the folder. A
/// watchdog shell, started first, does the same if the test process dies before,
/// so a crashed or killed run leaves no server and no folder behind.
///
/// `@unchecked Sendable`: every stored property is a constant except the stopped
/// flag, which a `Mutex` guards; `Process` objects are only signalled and waited on.
final class MariaDBServer: @unchecked Sendable {
    /// The server of the suite running now (see ``MariaDBServerTrait``).
    @TaskLocal static var current: MariaDBServer?

    /// The loopback TCP port the server listens on.
    let port: Int
    /// The test user, allowed everything from any host.
    let user = "sluice"
    /// The test user's password.
    let password = "sluice-\(UInt32.random(in: 100_000...999_999))-pw"
    /// The folder holding the data, the socket, the pid file and the error log.
    let folder: String

    private let server: Process
    private let watchdog: Process
    private let stopped = Mutex(false)

    private var socket: String { folder + "/mysqld.sock" }

    /// Initialises a data folder, starts the server and creates the test user.
    init() throws {
        folder = NSTemporaryDirectory() + "sluice-mariadb-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        watchdog = try Self.startWatchdog(folder: folder)
        let asRoot = getuid() == 0 ? ["--user=root"] : []
        do {
            try Self.run(
                "/usr/bin/mariadb-install-db",
                [
                    "--no-defaults", "--datadir=\(folder)/data", "--auth-root-authentication-method=normal",
                    "--skip-test-db",
                ]
                    + asRoot + Self.smallServer, folder: folder)
            var attempt = 0
            while true {
                attempt += 1
                let port = try Self.freePort()
                let server = try Self.startServer(folder: folder, port: port, asRoot: asRoot)
                if try Self.waitUntilReady(server, port: port, folder: folder, lastAttempt: attempt == 3) {
                    self.port = port
                    self.server = server
                    break
                }
            }
        } catch {
            kill(watchdog.processIdentifier, SIGKILL)
            watchdog.waitUntilExit()
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        do {
            try execute(
                "CREATE USER '\(user)'@'%' IDENTIFIED BY '\(password)'; GRANT ALL PRIVILEGES ON *.* TO '\(user)'@'%'; FLUSH PRIVILEGES;"
            )
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    /// `jdbc:<scheme>://127.0.0.1:PORT/database`.
    func url(database: String, scheme: String = "mysql") -> String { "jdbc:\(scheme)://127.0.0.1:\(port)/\(database)" }

    /// Creates `name` (dropping it first if it exists).
    func createDatabase(_ name: String) throws {
        try execute("DROP DATABASE IF EXISTS `\(name)`; CREATE DATABASE `\(name)`;")
    }

    /// Runs `sql` (statements separated by `;`) as root over the socket, in
    /// `database` when given; returns what the client prints (tab-separated rows).
    @discardableResult
    func execute(_ sql: String, database: String? = nil) throws -> String {
        try Self.run(
            "/usr/bin/mariadb",
            ["--no-defaults", "--user=root", "--socket=\(socket)", "--batch", "--skip-column-names"]
                + (database.map { [$0] } ?? []),
            input: sql)
    }

    /// Stops the server (SIGTERM, then SIGKILL after 30 s) and removes the folder.
    func stop() {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        if server.isRunning {
            kill(server.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(30)
            while server.isRunning && Date() < deadline { usleep(50_000) }
            if server.isRunning { kill(server.processIdentifier, SIGKILL) }
            server.waitUntilExit()
        }
        if watchdog.isRunning {
            kill(watchdog.processIdentifier, SIGKILL)
            watchdog.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Options that keep the server small and quick to start and stop.
    private static let smallServer = [
        "--innodb-buffer-pool-size=16M", "--innodb-log-file-size=8M", "--innodb-use-native-aio=0",
        "--innodb-buffer-pool-load-at-startup=0", "--innodb-buffer-pool-dump-at-shutdown=0",
        "--innodb-doublewrite=0", "--innodb-flush-log-at-trx-commit=2",
        "--performance-schema=OFF", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci",
    ]

    /// A shell that waits for this process to end (or turn zombie), then stops every process listed
    /// in `folder/pids` (the installer, the server) and removes `folder`: the
    /// clean-up of a test run that crashed or was killed before ``stop()``.
    private static func startWatchdog(folder: String) throws -> Process {
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments = [
            "-c",
            """
            while kill -0 \(getpid()) 2>/dev/null && ! grep -q '^State:.*Z' /proc/\(getpid())/status 2>/dev/null; do sleep 1; done
            for p in $(cat '\(folder)/pids' 2>/dev/null); do kill -TERM $p 2>/dev/null; done
            sleep 5
            for p in $(cat '\(folder)/pids' 2>/dev/null); do kill -KILL $p 2>/dev/null; done
            rm -rf '\(folder)'
            """,
        ]
        // Not the test's output: `swift test` waits for its end before reaping the test.
        watchdog.standardInput = FileHandle.nullDevice
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()
        return watchdog
    }

    /// Adds `process` to the processes the watchdog stops.
    private static func record(_ process: Process, folder: String) {
        guard
            let pids = FileHandle(forWritingAtPath: folder + "/pids")
                ?? {
                    _ = FileManager.default.createFile(atPath: folder + "/pids", contents: nil)
                    return FileHandle(forWritingAtPath: folder + "/pids")
                }()
        else { return }
        pids.seekToEndOfFile()
        pids.write(Data("\(process.processIdentifier)\n".utf8))
        try? pids.close()
    }

    private static func startServer(folder: String, port: Int, asRoot: [String]) throws -> Process {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/sbin/mariadbd")
        server.arguments =
            [
                "--no-defaults", "--datadir=\(folder)/data", "--port=\(port)", "--bind-address=127.0.0.1",
                "--socket=\(folder)/mysqld.sock", "--pid-file=\(folder)/mysqld.pid", "--log-error=\(folder)/error.log",
                "--tmpdir=\(folder)", "--skip-name-resolve", "--skip-log-bin", "--max-connections=50",
            ] + asRoot + smallServer
        server.standardInput = FileHandle.nullDevice
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        record(server, folder: folder)
        return server
    }

    /// Waits until `server` accepts TCP connections on `port`. False when it exited
    /// first (the port was taken since it was picked) and another attempt may follow.
    private static func waitUntilReady(_ server: Process, port: Int, folder: String, lastAttempt: Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if !server.isRunning {
                let log = (try? String(contentsOfFile: folder + "/error.log", encoding: .utf8)) ?? ""
                if !lastAttempt && log.contains("Address already in use") { return false }
                throw MariaDBServerError(
                    "mariadbd exited with status \(server.terminationStatus):\n\(log.suffix(3000))")
            }
            if accepts(port: port) && FileManager.default.fileExists(atPath: folder + "/mysqld.sock") { return true }
            usleep(50_000)
        }
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
        throw MariaDBServerError("mariadbd did not accept connections on port \(port) within 60 s")
    }

    /// Whether something accepts a TCP connection on 127.0.0.1:`port`.
    private static func accepts(port: Int) -> Bool {
        let fd = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// A loopback port nothing listens on now (bound to port 0, then released).
    private static func freePort() throws -> Int {
        let fd = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw MariaDBServerError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard bound else { throw MariaDBServerError("bind() failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard named else { throw MariaDBServerError("getsockname() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    /// Runs a program to completion with `input` on its standard input; returns its
    /// standard output and error; throws with them when it fails.
    @discardableResult
    private static func run(_ executable: String, _ arguments: [String], input: String = "", folder: String? = nil)
        throws -> String
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe()
        let output = Pipe()
        process.standardInput = stdin
        process.standardOutput = output
        process.standardError = output
        try process.run()
        if let folder { record(process, folder: folder) }
        // Written from another thread so that a large output cannot block the writer.
        let sink = stdin.fileHandleForWriting
        let bytes = Data(input.utf8)
        let writer = Thread {
            sink.write(bytes)
            try? sink.close()
        }
        writer.start()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw MariaDBServerError(
                "\(executable) exited with status \(process.terminationStatus): \(text.suffix(3000))")
        }
        return text
    }
}

/// Why the test server could not start or run a statement.
struct MariaDBServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Gives a suite one private MariaDB server (``MariaDBServer/current``) for all of
/// its tests, stopped when the suite ends, passed or failed.
struct MariaDBServerTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try MariaDBServer()
        defer { server.stop() }
        try await MariaDBServer.$current.withValue(server) { try await function() }
    }
}

extension Trait where Self == MariaDBServerTrait {
    /// One private MariaDB server for the whole suite.
    static var mariaDBServer: Self { Self() }
}
