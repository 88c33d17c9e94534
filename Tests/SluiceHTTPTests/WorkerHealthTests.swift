import Foundation
import SluiceHTTP
import Testing

/// `GET /health` (KIP-1017) and `GET /` over real TCP, as Kafka Connect answers them.
@Suite("Health and version")
struct WorkerHealthTests {
    @Test("GET /health answers 503 starting until the worker is attached, then 200 healthy, 500 unhealthy while the herder is stuck; other paths wait with 503")
    func health() async throws {
        let server = try await ListeningRestServer.start(attached: false)
        let starting = try await server.call("GET", "/health")
        #expect(starting.status == 503)
        #expect(starting.object["status"] as? String == "starting")
        #expect(starting.object["message"] as? String == "Worker is still starting up.")
        #expect(try await server.call("GET", "/connectors").status == 503)

        server.server.attach(server.herder)
        let healthy = try await server.call("GET", "/health")
        #expect(healthy.status == 200)
        #expect(healthy.headers["content-type"] == "application/json")
        #expect(healthy.object["status"] as? String == "healthy")
        #expect(healthy.object["message"] as? String == "Worker has completed startup and is ready to handle requests.")
        #expect(try await server.call("POST", "/health").status == 405)

        // A herder stuck in a change: 500 unhealthy with Kafka's message and the reason.
        server.herder.problem.withLock { $0 = "The herder thread has not begun a round for 12 s; it was applying config changes." }
        let unhealthy = try await server.call("GET", "/health")
        #expect(unhealthy.status == 500)
        #expect(unhealthy.object["status"] as? String == "unhealthy")
        #expect(unhealthy.object["message"] as? String == "Worker was unable to handle this request and may be unable to handle other requests. The herder thread has not begun a round for 12 s; it was applying config changes.")
        server.herder.problem.withLock { $0 = nil }
        #expect(try await server.call("GET", "/health").status == 200)
    }

    @Test("GET / shows the version, the git commit this binary was built from and the Kafka cluster id")
    func root() async throws {
        let server = try await ListeningRestServer.start()
        let reply = try await server.call("GET", "/")
        #expect(reply.status == 200)
        #expect(reply.object["version"] as? String == SluiceVersion.current)
        #expect(reply.object["kafka_cluster_id"] as? String == "fake-cluster")
        let commit = reply.object["commit"] as? String ?? ""
        #expect(commit.count == 16 && commit.allSatisfy(\.isHexDigit), "commit: \(commit)")
        // The commit is one of this checkout's (the tests are built from it).
        #expect(try Self.git(["cat-file", "-t", commit]) == "commit", "commit \(commit) is not in this repository")
    }

    /// Runs git in the repository these tests are in and returns its trimmed output.
    static func git(_ arguments: [String]) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", root.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
