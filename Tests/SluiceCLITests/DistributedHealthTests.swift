import Foundation
import SluiceHTTP
import Testing

/// `GET /health` of a real `sluice worker` whose herder thread is stuck (KIP-1017's
/// `unhealthy`).
@Suite("Health of a distributed worker", .serialized)
struct DistributedHealthTests {
    @Test("a connector whose start waits on an unreachable database holds the herder thread: /health turns 500 unhealthy and says what the thread was doing")
    func stuckHerderIsUnhealthy() throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: [])
        let worker = try WorkerProcess(folder: folder, name: "w0", properties: WorkerProcess.properties(bootstrap: broker.bootstrapServers))
        #expect(try eventually(seconds: 30) { try RestClient.call("GET", worker.url + "health").status == 200 })
        // Port 1 refuses at once; 60 attempts a second apart keep the connector's start busy for a minute.
        let body: [String: Any] = [
            "name": "stuck",
            "config": [
                "connector.class": "io.confluent.connect.jdbc.JdbcSourceConnector", "connection.url": "jdbc:postgresql://127.0.0.1:1/none",
                "connection.attempts": "60", "connection.backoff.ms": "1000", "mode": "bulk", "topic.prefix": "stuck-",
            ],
        ]
        // The create may not answer before the connector's start gives up (it waits for the
        // task configs the stuck thread would write): a call that times out has been taken.
        var answer = "no answer"
        let taken = try eventually(seconds: 30) {
            guard let created = try? RestClient.call("POST", worker.url + "connectors", json: body, timeoutSeconds: 5) else {
                answer = "timed out"
                return true
            }
            answer = "\(created.status) \(created.text)"
            return created.status == 201
        }
        #expect(taken, "the create was refused: \(answer)")
        var health = try RestClient.call("GET", worker.url + "health")
        let unhealthy = try eventually(seconds: 40) {
            health = try RestClient.call("GET", worker.url + "health")
            return health.status == 500
        }
        #expect(unhealthy, "the worker stayed \(health.status): \(health.text)")
        #expect(health.object["status"] as? String == "unhealthy")
        let message = health.object["message"] as? String ?? ""
        #expect(message.hasPrefix("Worker was unable to handle this request and may be unable to handle other requests. The herder thread has not begun a round for "), "\(message)")
        // Where the connector's start is: a config change, an assignment or a monitoring recheck, all
        // of which compute task configs; never waiting for the state lock (nothing starts connectors under it).
        #expect(["applying config changes", "applying a new assignment", "rechecking the task configs"].contains { message.contains("it was " + $0) }, "\(message)")
        // Reads do not wait for the stuck start: the state lock is free.
        let started = Date()
        #expect(try RestClient.call("GET", worker.url + "connectors", timeoutSeconds: 5).status == 200)
        #expect(Date().timeIntervalSince(started) < 2)
    }
}
