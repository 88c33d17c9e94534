import Foundation
import SluiceConnectors
import SluiceCore
import SluiceKafka
import Synchronization
import Testing

/// A cluster of real `sluice worker` processes on one embedded cluster: failover
/// after SIGKILL, and a joining worker that moves only what balance needs.
@Suite("A cluster of sluice workers", .serialized)
struct DistributedClusterTests {
    private struct TaskPlacement {
        var state: String
        var worker: String
    }

    private func placements(_ url: String, _ name: String) throws -> [Int: TaskPlacement] {
        let status = try RestClient.call("GET", url + "connectors/\(name)/status").object
        var result: [Int: TaskPlacement] = [:]
        for task in status["tasks"] as? [[String: Any]] ?? [] {
            guard let id = task["id"] as? Int else { continue }
            result[id] = TaskPlacement(state: task["state"] as? String ?? "", worker: task["worker_id"] as? String ?? "")
        }
        return result
    }

    @Test("workers whose file glob matches different files run the one task set the leader stored")
    func storedTaskConfigs() throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["glob-out:2"])
        // Each worker's working directory holds other files: a relative glob matches
        // three files on one and four on the other.
        for (worker, count) in [("a", 3), ("b", 4)] {
            try FileManager.default.createDirectory(atPath: folder.file(worker), withIntermediateDirectories: true)
            for file in 1...count { try folder.write("\(worker)/x\(file).txt", "line\n") }
        }
        let workers = try ["a", "b"].map {
            try WorkerProcess(
                folder: folder, name: "w\($0)", properties: WorkerProcess.properties(bootstrap: broker.bootstrapServers),
                directory: folder.file($0))
        }
        let created = try workers[0].createConnector([
            "name": "glob", "config": ["connector.class": "FileStreamSource", "files": "*.txt", "tasks.max": "4", "topic": "glob-out"],
        ])
        #expect(created.status == 201, "\(created.text)")
        func taskFiles(_ worker: WorkerProcess) throws -> [String] {
            let reply = try RestClient.call("GET", worker.url + "connectors/glob/tasks")
            let tasks = (try? JSONSerialization.jsonObject(with: Data(reply.text.utf8)) as? [[String: Any]]) ?? []
            return tasks.map { ($0["config"] as? [String: String])?["files"] ?? "?" }
        }
        var seen: [[String]] = []
        let agreed = try eventually(seconds: 40) {
            seen = try workers.map(taskFiles)
            let states = try placements(workers[1].url, "glob")
            return !seen[0].isEmpty && seen[0] == seen[1] && states.count == seen[0].count
                && states.values.allSatisfy { $0.state != "UNASSIGNED" && !$0.worker.isEmpty }
        }
        #expect(agreed, "task configs: \(seen)\n\(workers.map(\.log).joined(separator: "\n---\n"))")
        #expect(Set([3, 4]).contains(seen[0].count), "the task set is one worker's view of the glob: \(seen[0])")
    }

    @Test("concurrent creates of one name over three workers: one 201, every other 409, and the stored config is the 201's")
    func concurrentCreates() throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["race-out:2"])
        let workers = try (0..<3).map {
            try WorkerProcess(folder: folder, name: "w\($0)", properties: WorkerProcess.properties(bootstrap: broker.bootstrapServers))
        }
        let urls = workers.map(\.url)
        for round in 0..<2 {
            let name = "race-\(round)"
            let attempts = 20
            let replies = Mutex<[Int: Int]>([:])
            let group = DispatchGroup()
            for attempt in 0..<attempts {
                group.enter()
                // One thread per request: the requests really are in flight together.
                Thread {
                    defer { group.leave() }
                    let body: [String: Any] = [
                        "name": name,
                        "config": ["connector.class": "datagen", "tasks.max": "1", "topic": "race-out", "max.records.per.sec": String(100 + attempt)],
                    ]
                    let status = (try? RestClient.call("POST", urls[attempt % urls.count] + "connectors", json: body).status) ?? -1
                    replies.withLock { $0[attempt] = status }
                }.start()
            }
            group.wait()
            let statuses = replies.withLock { $0 }
            let created = statuses.filter { $0.value == 201 }.map(\.key)
            #expect(created.count == 1, "round \(round): \(statuses.sorted { $0.key < $1.key })\n\(workers.map(\.log).joined(separator: "\n---\n"))")
            #expect(statuses.values.allSatisfy { $0 == 201 || $0 == 409 }, "round \(round): \(statuses)")
            for worker in workers {
                let stored = try RestClient.call("GET", worker.url + "connectors/\(name)/config").object
                #expect(stored["max.records.per.sec"] as? String == created.first.map { String(100 + $0) }, "round \(round), \(worker.workerID): \(stored)")
            }
        }
    }

    @Test("SIGKILL of a worker: its tasks resume on the survivors from committed offsets, and no record is lost")
    func failover() throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["failover-out:6"])
        let workers = try (0..<3).map {
            try WorkerProcess(folder: folder, name: "w\($0)", properties: WorkerProcess.properties(bootstrap: broker.bootstrapServers))
        }
        let tasks = 6
        let perTask = 4_000
        let rate = 500
        let created = try workers[0].createConnector([
            "name": "gen", "config": [
                "connector.class": "datagen", "tasks.max": String(tasks), "topic": "failover-out",
                "iterations": String(perTask), "max.records.per.sec": String(rate), "record.size": "100",
            ],
        ])
        #expect(created.status == 201, "\(created.text)")
        let spread = try eventually(seconds: 40) {
            let now = try placements(workers[0].url, "gen")
            return now.count == tasks && now.values.allSatisfy { $0.state == "RUNNING" } && Set(now.values.map(\.worker)).count == 3
        }
        #expect(spread, "tasks never spread over three workers:\n\(workers.map(\.log).joined(separator: "\n---\n"))")
        usleep(1_500_000)
        let victim = workers[2]
        let victimTasks = try placements(workers[0].url, "gen").filter { $0.value.worker == victim.workerID }.count
        victim.kill(SIGKILL)
        let killedAt = Date()
        let recovered = try eventually(seconds: 40) {
            let now = try placements(workers[0].url, "gen")
            return now.count == tasks && now.values.allSatisfy { $0.worker != victim.workerID && ($0.state == "RUNNING" || $0.state == "STOPPED") }
        }
        let recovery = Date().timeIntervalSince(killedAt)
        #expect(recovered, "the victim's tasks never moved:\n\(workers[0].log)")
        print("failover: \(victimTasks) tasks moved in \(String(format: "%.1f", recovery)) s")
        let finished = try eventually(seconds: 60) {
            try placements(workers[0].url, "gen").values.allSatisfy { $0.state == "STOPPED" }
        }
        let final = try placements(workers[0].url, "gen")
        #expect(finished, "tasks never finished: \(final)")

        var config = KafkaConfiguration(bootstrapServers: broker.bootstrapServers)
        config["log_level"] = "0"
        let consumer = try Consumer(configuration: config)
        try consumer.assign(topic: "failover-out", partitions: (0..<6).map(Int32.init), from: .beginning)
        var verifier = DatagenVerifier(expected: Array(repeating: perTask, count: tasks))
        let batch = ConsumedBatch(capacity: 10_000)
        var quiet = 0
        while quiet < 20 {
            let count = try consumer.poll(into: batch, timeoutMs: 100)
            if count == 0 { quiet += 1 } else { quiet = 0 }
            for index in 0..<count where batch[index].error == nil { verifier.observe(value: batch[index].value) }
            batch.releaseMessages()
        }
        let report = verifier.report
        #expect(report.lost == 0, "lost \(report.lost) of \(tasks * perTask)")
        #expect(report.unexpected == 0)
        // Duplicates come from what the victim produced after its last offset flush
        // (500 ms): at most its tasks' rate for one flush interval, plus the batch in flight.
        let bound = victimTasks * rate * 2
        #expect(report.duplicates <= bound, "duplicates \(report.duplicates) > \(bound)")
        print("failover: lost \(report.lost), duplicates \(report.duplicates) (bound \(bound))")
    }

    @Test("a fourth worker takes one task; the tasks that stay put never stop")
    func joiningWorker() throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["join-out:6"])
        var workers = try (0..<3).map {
            try WorkerProcess(folder: folder, name: "w\($0)", properties: WorkerProcess.properties(bootstrap: broker.bootstrapServers))
        }
        let created = try workers[0].createConnector([
            "name": "gen", "config": ["connector.class": "datagen", "tasks.max": "6", "topic": "join-out", "max.records.per.sec": "100"],
        ])
        #expect(created.status == 201, "\(created.text)")
        #expect(try eventually(seconds: 40) {
            let now = try placements(workers[0].url, "gen")
            return now.count == 6 && now.values.allSatisfy { $0.state == "RUNNING" } && Set(now.values.map(\.worker)).count == 3
        })
        let before = try placements(workers[0].url, "gen")
        /// Tasks a worker was asked to stop so far, from its /metrics.
        func stops(_ worker: WorkerProcess) throws -> Int {
            let text = try RestClient.call("GET", worker.url + "metrics").text
            let line = text.split(separator: "\n").first { $0.hasPrefix("sluice_worker_task_stops_total ") }
            return line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? -1
        }
        let stopsBefore = try workers.map(stops)
        workers.append(try WorkerProcess(folder: folder, name: "w3", properties: WorkerProcess.properties(bootstrap: broker.bootstrapServers)))
        let newcomer = workers[3].workerID
        let balanced = try eventually(seconds: 40) {
            let now = try placements(workers[0].url, "gen")
            let load = Dictionary(grouping: now.values.filter { $0.state == "RUNNING" }, by: \.worker).mapValues(\.count)
            return load[newcomer] == 1 && load.count == 4 && load.values.reduce(0, +) == 6
        }
        let after = try placements(workers[0].url, "gen")
        #expect(balanced, "\(after)\n\(workers.map(\.log).joined(separator: "\n---\n"))")
        let moved = after.filter { before[$0.key]?.worker != $0.value.worker }
        #expect(moved.count == 1, "moved: \(moved)")
        // The workers' own account (their /metrics): across the three old workers, one task stopped in all.
        #expect(stopsBefore.allSatisfy { $0 >= 0 }, "\(stopsBefore)")
        let stopped = try zip(workers[0..<3], stopsBefore).map { try stops($0.0) - $0.1 }.reduce(0, +)
        #expect(stopped == 1, "stopped tasks on the old workers: \(stopped)")
    }
}
