import Foundation
import Testing

/// The Kafka Connect REST API of one `sluice worker`, over real HTTP on loopback.
@Suite("The Kafka Connect REST API")
struct RestAPITests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    let folder: TemporaryFolder
    let broker: BrokerProcess

    init() throws {
        folder = try TemporaryFolder()
        broker = try BrokerProcess(topics: ["gen-out:4"])
    }

    private func startWorker(_ name: String = "w", extra: [String: String] = [:], environment: [String: String] = [:]) throws -> WorkerProcess {
        try WorkerProcess(
            folder: folder, name: name, properties: WorkerProcess.properties(bootstrap: broker.bootstrapServers, extra: extra),
            environment: environment)
    }

    /// Waits until the worker's first rebalance is over (writes answer 409 until then).
    private func settled(_ worker: WorkerProcess) throws -> Bool {
        try eventually(seconds: 30) {
            try RestClient.call("POST", worker.url + "connectors", json: [
                "name": "probe", "config": ["connector.class": "datagen", "tasks.max": "0"],
            ]).status == 400
        }
    }

    private func datagen(_ name: String, tasks: Int = 2, extra: [String: String] = [:]) -> [String: Any] {
        var config = ["connector.class": "datagen", "tasks.max": String(tasks), "topic": "gen-out", "max.records.per.sec": "200"]
        for (key, value) in extra { config[key] = value }
        return ["name": name, "config": config]
    }

    private func taskStates(_ worker: WorkerProcess, _ name: String) throws -> [String] {
        let status = try RestClient.call("GET", worker.url + "connectors/\(name)/status").object
        return (status["tasks"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String }
    }

    @Test("create, read, list, pause, resume, restart, stop, offsets and delete, with Kafka Connect's codes and bodies")
    func lifecycle() throws {
        let worker = try startWorker()
        #expect(try settled(worker), "the worker never settled:\n\(worker.log)")
        let root = try RestClient.call("GET", worker.url)
        #expect(root.status == 200)
        #expect((root.object["kafka_cluster_id"] as? String)?.isEmpty == false)

        let created = try RestClient.call("POST", worker.url + "connectors", json: datagen("gen"))
        #expect(created.status == 201, "\(created.text)")
        #expect(created.object["name"] as? String == "gen")
        #expect(created.object["type"] as? String == "source")
        #expect((created.object["tasks"] as? [Any])?.count == 2)
        #expect(try RestClient.call("POST", worker.url + "connectors", json: datagen("gen")).status == 409)

        #expect(try eventually(seconds: 30) { try taskStates(worker, "gen") == ["RUNNING", "RUNNING"] }, "\(worker.log)")
        let status = try RestClient.call("GET", worker.url + "connectors/gen/status").object
        #expect((status["connector"] as? [String: Any])?["worker_id"] as? String == worker.workerID)
        #expect(try RestClient.call("GET", worker.url + "connectors").json as? [String] == ["gen"])
        let expanded = try RestClient.call("GET", worker.url + "connectors?expand=status&expand=info").object
        let entry = expanded["gen"] as? [String: Any]
        #expect(entry?["status"] != nil && entry?["info"] != nil)
        let config = try RestClient.call("GET", worker.url + "connectors/gen/config").object
        #expect(config["tasks.max"] as? String == "2")
        let tasks = try RestClient.call("GET", worker.url + "connectors/gen/tasks").json as? [[String: Any]]
        #expect(tasks?.count == 2)
        let task = try RestClient.call("GET", worker.url + "connectors/gen/tasks/1/status")
        #expect(task.status == 200)
        #expect(task.object["id"] as? Int == 1)
        #expect(try RestClient.call("GET", worker.url + "connectors/gen/tasks/7/status").status == 404)

        #expect(try RestClient.call("PUT", worker.url + "connectors/gen/pause").status == 202)
        #expect(try eventually(seconds: 20) { try taskStates(worker, "gen") == ["PAUSED", "PAUSED"] })
        #expect(try RestClient.call("PUT", worker.url + "connectors/gen/resume").status == 202)
        #expect(try eventually(seconds: 20) { try taskStates(worker, "gen") == ["RUNNING", "RUNNING"] })

        let restart = try RestClient.call("POST", worker.url + "connectors/gen/restart?includeTasks=true")
        #expect(restart.status == 202, "\(restart.text)")
        #expect((restart.object["tasks"] as? [[String: Any]])?.allSatisfy { $0["state"] as? String == "RESTARTING" } == true)
        #expect(try eventually(seconds: 20) { try taskStates(worker, "gen") == ["RUNNING", "RUNNING"] })
        #expect(try RestClient.call("POST", worker.url + "connectors/gen/tasks/0/restart").status == 204)

        // Offsets can be changed only when the connector is stopped.
        let early = try RestClient.call("DELETE", worker.url + "connectors/gen/offsets")
        #expect(early.status == 400)
        #expect((early.object["message"] as? String)?.contains("STOPPED") == true)
        #expect(try eventually(seconds: 20) {
            let offsets = try RestClient.call("GET", worker.url + "connectors/gen/offsets").object["offsets"] as? [Any]
            return (offsets?.count ?? 0) == 2
        })
        #expect(try RestClient.call("PUT", worker.url + "connectors/gen/stop").status == 204)
        #expect(try eventually(seconds: 20) { try taskStates(worker, "gen").isEmpty })
        // 409 until the tasks have stopped and flushed their last offsets.
        var patch = try RestClient.call("GET", worker.url)
        #expect(try eventually(seconds: 20) {
            patch = try RestClient.call("PATCH", worker.url + "connectors/gen/offsets", json: [
                "offsets": [["partition": ["partition": "datagen-task-0"], "offset": ["offset": 123_456]]],
            ])
            return patch.status != 409
        })
        #expect(patch.status == 200, "\(patch.text)")
        let offsets = try RestClient.call("GET", worker.url + "connectors/gen/offsets").object["offsets"] as? [[String: Any]]
        let task0 = offsets?.first { ($0["partition"] as? [String: Any])?["partition"] as? String == "datagen-task-0" }
        #expect((task0?["offset"] as? [String: Any])?["offset"] as? Int == 123_456)
        #expect(try RestClient.call("DELETE", worker.url + "connectors/gen/offsets").status == 200)
        #expect((try RestClient.call("GET", worker.url + "connectors/gen/offsets").object["offsets"] as? [Any])?.isEmpty == true)
        #expect(try eventually(seconds: 20) { try RestClient.call("PUT", worker.url + "connectors/gen/resume").status == 202 })
        #expect(try eventually(seconds: 30) { try taskStates(worker, "gen") == ["RUNNING", "RUNNING"] })

        // Every metric the Grafana dashboard charts is exported (with a sink task running too).
        let sink = try RestClient.call("POST", worker.url + "connectors", json: [
            "name": "drain", "config": ["connector.class": "null", "topics": "gen-out"],
        ])
        #expect(sink.status == 201 || sink.status == 409, "\(sink.text)")
        let dashboard = try String(contentsOfFile: Self.repositoryRoot + "/docs/grafana/sluice-workers.json", encoding: .utf8)
        let names = Set(dashboard.matches(of: /(kafka_connect|sluice)_[a-z_]+/).map { String($0.output.0) })
        #expect(names.count >= 10)
        var exported = ""
        let complete = try eventually(seconds: 40) {
            if try RestClient.call("GET", worker.url + "connectors/drain").status == 404 {
                _ = try RestClient.call("POST", worker.url + "connectors", json: ["name": "drain", "config": ["connector.class": "null", "topics": "gen-out"]])
            }
            exported = try RestClient.call("GET", worker.url + "metrics").text
            return names.allSatisfy { exported.contains($0) }
        }
        #expect(complete, "missing from /metrics: \(names.filter { !exported.contains($0) }.sorted())")

        // Stopping changed the task set, so a rebalance may still be under way: 409 until it ends.
        var deleted = 0
        #expect(try eventually(seconds: 20) {
            deleted = try RestClient.call("DELETE", worker.url + "connectors/gen").status
            return deleted != 409
        })
        #expect(deleted == 204)
        let gone = try RestClient.call("GET", worker.url + "connectors/gen")
        #expect(gone.status == 404)
        #expect(gone.object["error_code"] as? Int == 404)
        #expect(gone.object["message"] as? String == "Connector gen not found")
    }

    @Test("bad requests get 400 with every problem, unknown names 404, and the plugins and validate endpoints answer")
    func badInput() throws {
        let worker = try startWorker()
        #expect(try settled(worker))
        let invalid = try RestClient.call("POST", worker.url + "connectors", json: [
            "name": "bad", "config": ["connector.class": "datagen", "tasks.max": "zero", "record.size": "-5"],
        ])
        #expect(invalid.status == 400)
        let message = invalid.object["message"] as? String ?? ""
        #expect(message.contains("tasks.max") && message.contains("record.size") && message.contains("\"topic\""), "\(message)")
        #expect(message.contains("3 error(s)"), "\(message)")

        let unknown = try RestClient.call("POST", worker.url + "connectors", json: ["name": "x", "config": ["connector.class": "com.example.Nope"]])
        #expect(unknown.status == 400)
        #expect((unknown.object["message"] as? String)?.contains("FileStreamSource") == true)

        let malformed = try RestClient.call("POST", worker.url + "connectors", raw: "{\"name\": \"x\", \"config\": {")
        #expect(malformed.status == 400)
        #expect(malformed.object["error_code"] as? Int == 400)

        #expect(try RestClient.call("GET", worker.url + "connectors/nope/status").status == 404)
        #expect(try RestClient.call("PUT", worker.url + "connectors/nope/pause").status == 404)
        #expect(try RestClient.call("POST", worker.url + "connectors/nope/restart").status == 404)

        let plugins = try RestClient.call("GET", worker.url + "connector-plugins").json as? [[String: Any]]
        #expect(plugins?.contains { $0["class"] as? String == "FileStreamSink" && $0["type"] as? String == "sink" } == true)
        let validation = try RestClient.call("PUT", worker.url + "connector-plugins/datagen/config/validate", json: [
            "connector.class": "datagen", "tasks.max": "0", "topic": "t",
        ])
        #expect(validation.status == 200)
        #expect(validation.object["error_count"] as? Int == 1, "\(validation.text)")
        let mismatch = try RestClient.call("PUT", worker.url + "connector-plugins/datagen/config/validate", json: ["connector.class": "FileStreamSink"])
        #expect(mismatch.status == 400)
    }

    @Test("GET /health and GET /, and creates with Location and initial_state and config PATCHes, through the leader and a follower")
    func newerEndpoints() throws {
        let first = try startWorker("a")
        let second = try startWorker("b")
        #expect(try settled(first), "\(first.log)")
        for worker in [first, second] {
            #expect(try eventually(seconds: 30) { try RestClient.call("GET", worker.url + "health").status == 200 }, "\(worker.log)")
            let health = try RestClient.call("GET", worker.url + "health").object
            #expect(health["status"] as? String == "healthy")
            let commit = try RestClient.call("GET", worker.url).object["commit"] as? String ?? ""
            #expect(commit.count == 16 && commit.allSatisfy(\.isHexDigit), "commit: \(commit)")
        }
        // One create lands on the leader, the other is forwarded to it; both answer the same.
        for (worker, name, state) in [(first, "starts-paused", "PAUSED"), (second, "starts-stopped", "stopped")] {
            var body = datagen(name, extra: ["max.records.per.sec": "50"])
            body["initial_state"] = state
            let created = try RestClient.call("POST", worker.url + "connectors", json: body)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.headers["location"] == "/connectors/\(name)")
        }
        #expect(try eventually(seconds: 30) { try taskStates(second, "starts-paused") == ["PAUSED", "PAUSED"] })
        // The worker that owns the connector reports its state after the create has answered.
        var stopped: [String: Any] = [:]
        #expect(try eventually(seconds: 30) {
            stopped = try RestClient.call("GET", first.url + "connectors/starts-stopped/status").object
            return (stopped["connector"] as? [String: Any])?["state"] as? String == "STOPPED"
        }, "\(stopped)")
        #expect((stopped["tasks"] as? [Any])?.isEmpty == true)
        let bad = try RestClient.call("POST", first.url + "connectors", json: datagen("bad-state").merging(["initial_state": "ASLEEP"]) { $1 })
        #expect(bad.status == 400)
        #expect((bad.object["message"] as? String)?.contains("initial_state") == true, "\(bad.text)")

        for worker in [first, second] {
            let patched = try RestClient.call("PATCH", worker.url + "connectors/starts-paused/config", json: ["tasks.max": 1, "max.records.per.sec": NSNull()])
            #expect(patched.status == 200, "\(patched.text)")
            #expect((patched.object["tasks"] as? [Any])?.count == 1, "\(patched.text)")
        }
        let config = try RestClient.call("GET", second.url + "connectors/starts-paused/config").object
        #expect(config["tasks.max"] as? String == "1" && config["max.records.per.sec"] == nil && config["topic"] as? String == "gen-out", "\(config)")
        #expect(try eventually(seconds: 30) { try taskStates(first, "starts-paused") == ["PAUSED"] }, "a patch keeps the connector paused")
        let missing = try RestClient.call("PATCH", second.url + "connectors/nope/config", json: ["tasks.max": 1])
        #expect(missing.status == 404, "\(missing.text)")

        // KIP-558: the topics a connector used, which every worker learns from the status topic.
        func topics(_ worker: WorkerProcess) throws -> [String]? {
            (try RestClient.call("GET", worker.url + "connectors/tracked/topics").object["tracked"] as? [String: Any])?["topics"] as? [String]
        }
        #expect(try RestClient.call("POST", first.url + "connectors", json: datagen("tracked")).status == 201)
        for worker in [first, second] {
            #expect(try eventually(seconds: 30) { try topics(worker) == ["gen-out"] }, "\(worker.log)")
        }
        #expect(try RestClient.call("PUT", second.url + "connectors/tracked/stop").status == 204)
        // Reset once the tasks are gone from both workers (a task still stopping records its topic again).
        #expect(try eventually(seconds: 30) {
            try [first, second].allSatisfy { worker in
                try !RestClient.call("GET", worker.url + "metrics").text.contains("source_record_poll_total{connector=\"tracked\"")
            }
        })
        #expect(try RestClient.call("PUT", second.url + "connectors/tracked/topics/reset").status == 202)
        for worker in [first, second] {
            #expect(try eventually(seconds: 30) { try topics(worker) == [] }, "the reset reaches every worker: \(worker.log)")
        }

        // KIP-976: a level set with scope=cluster reaches every worker through the config topic.
        let cluster = try RestClient.call("PUT", first.url + "admin/loggers/sluice.rest?scope=cluster", json: ["level": "DEBUG"])
        #expect(cluster.status == 204, "\(cluster.text)")
        for worker in [first, second] {
            #expect(try eventually(seconds: 20) {
                try RestClient.call("GET", worker.url + "admin/loggers/sluice.rest").object["level"] as? String == "DEBUG"
            }, "\(worker.log)")
        }
        #expect(try RestClient.call("GET", second.url + "admin/loggers/sluice.worker").object["level"] as? String == "INFO", "only the namespace set")
    }

    @Test("a sink created STOPPED has its group's offsets altered through PATCH and read back; its reset names what the cluster lacks")
    func sinkOffsetsAltered() throws {
        let worker = try startWorker()
        #expect(try settled(worker), "the worker never settled:\n\(worker.log)")
        let created = try RestClient.call("POST", worker.url + "connectors", json: [
            "name": "drain", "initial_state": "STOPPED", "config": ["connector.class": "null", "topics": "gen-out"],
        ] as [String: Any])
        #expect(created.status == 201, "\(created.text)")
        let patch = try RestClient.call("PATCH", worker.url + "connectors/drain/offsets", json: [
            "offsets": [["partition": ["kafka_topic": "gen-out", "kafka_partition": 2], "offset": ["kafka_offset": 0]]],
        ])
        #expect(patch.status == 200, "\(patch.text)")
        let offsets = try RestClient.call("GET", worker.url + "connectors/drain/offsets").object["offsets"] as? [[String: Any]]
        #expect(offsets?.count == 1)
        #expect((offsets?.first?["partition"] as? [String: Any])?["kafka_partition"] as? Int == 2)
        #expect((offsets?.first?["offset"] as? [String: Any])?["kafka_offset"] as? Int == 0)
        // The embedded cluster serves no DeleteGroups: a clear 500, and the worker goes on.
        let reset = try RestClient.call("DELETE", worker.url + "connectors/drain/offsets")
        #expect(reset.status == 500 && reset.text.contains("DeleteGroups"), "\(reset.text)")
        #expect(try RestClient.call("PUT", worker.url + "connectors/drain/resume").status == 202)
        let running = try RestClient.call("PATCH", worker.url + "connectors/drain/offsets", json: [
            "offsets": [["partition": ["kafka_topic": "gen-out", "kafka_partition": 2], "offset": ["kafka_offset": 0]]],
        ])
        #expect(running.status == 400 && running.text.contains("STOPPED"), "\(running.text)")
    }

    @Test("a config change made during a rebalance waits for it and succeeds instead of answering 409")
    func rebalancing() throws {
        let worker = try startWorker()
        // The embedded cluster delays a group's first join by 3 s: the worker is rebalancing.
        let start = Date()
        let reply = try RestClient.call("POST", worker.url + "connectors", json: datagen("early"))
        #expect(reply.status == 201, "\(reply.text)")
        #expect(Date().timeIntervalSince(start) < Double(30), "the wait is bounded")
        #expect((reply.object["tasks"] as? [Any])?.count == 2, "the answer lists the stored tasks: \(reply.text)")
    }

    @Test("bearer-token access: missing or wrong credentials get 401, the token never reaches the log")
    func bearer() throws {
        let token = "tok-\(UUID().uuidString)"
        let worker = try startWorker(extra: ["rest.auth.type": "bearer", "rest.auth.bearer.token": "${env:SLUICE_TEST_TOKEN}"], environment: ["SLUICE_TEST_TOKEN": token])
        let none = try RestClient.call("GET", worker.url + "connectors")
        #expect(none.status == 401)
        #expect(none.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
        #expect(try RestClient.call("GET", worker.url + "connectors", headers: ["Authorization": "Bearer wrong"]).status == 401)
        #expect(try RestClient.call("GET", worker.url + "connectors", headers: ["Authorization": "Bearer \(token)"]).status == 200)
        #expect(!worker.log.contains(token))
    }

    @Test("basic access: a user with the right password gets in, others get 401")
    func basic() throws {
        let worker = try startWorker(extra: ["rest.auth.type": "basic", "rest.auth.basic.users": "admin:pa55,ops:other"])
        let good = "Basic " + Data("admin:pa55".utf8).base64EncodedString()
        let bad = "Basic " + Data("admin:nope".utf8).base64EncodedString()
        #expect(try RestClient.call("GET", worker.url, headers: ["Authorization": good]).status == 200)
        #expect(try RestClient.call("GET", worker.url, headers: ["Authorization": bad]).status == 401)
        #expect(try RestClient.call("GET", worker.url).status == 401)
    }

    @Test("a task that cannot start is FAILED with its trace, retried with backoff, and the trace is readable from any worker")
    func failedTask() throws {
        let first = try startWorker("a", extra: ["task.restart.max.attempts": "2", "task.restart.backoff.ms": "200"])
        let second = try startWorker("b", extra: ["task.restart.max.attempts": "2", "task.restart.backoff.ms": "200"])
        #expect(try settled(first))
        let missing = folder.file("no-such-input.txt")
        let created = try RestClient.call("POST", first.url + "connectors", json: [
            "name": "reader", "config": ["connector.class": "FileStreamSource", "file": missing, "topic": "gen-out"],
        ])
        #expect(created.status == 201, "\(created.text)")
        var trace = ""
        let failed = try eventually(seconds: 40) {
            let task = try RestClient.call("GET", second.url + "connectors/reader/tasks/0/status").object
            trace = task["trace"] as? String ?? ""
            return task["state"] as? String == "FAILED" && trace.contains("no more retries")
        }
        #expect(failed, "trace: \(trace)\n\(first.log)\n\(second.log)")
        #expect(trace.contains(missing))
        // A config change made through one worker is what the other serves.
        let update = try RestClient.call("PUT", second.url + "connectors/reader/config", json: [
            "connector.class": "FileStreamSource", "file": missing, "topic": "other-topic",
        ])
        #expect(update.status == 200, "\(update.text)")
        let seen = try RestClient.call("GET", first.url + "connectors/reader/config").object
        #expect(seen["topic"] as? String == "other-topic")
    }

    @Test("a secret reference in a connector config is never shown resolved: config, tasks and status show the reference")
    func secretsStayReferences() throws {
        let secret = "s3cret-\(UInt32.random(in: 0...UInt32.max))"
        let worker = try startWorker(environment: ["SLUICE_TEST_SECRET": secret])
        #expect(try settled(worker))
        let created = try RestClient.call("POST", worker.url + "connectors", json: datagen("secretive", tasks: 1, extra: [
            "connection.password": "${env:SLUICE_TEST_SECRET}",
        ]))
        #expect(created.status == 201, "\(created.text)")
        #expect(try eventually(seconds: 30) { try taskStates(worker, "secretive") == ["RUNNING"] }, "\(worker.log)")
        for path in ["connectors/secretive", "connectors/secretive/config", "connectors/secretive/tasks", "connectors/secretive/status", "connectors?expand=info"] {
            let text = try RestClient.call("GET", worker.url + path).text
            #expect(!text.contains(secret), "\(path) shows the resolved secret: \(text)")
        }
        let tasks = try RestClient.call("GET", worker.url + "connectors/secretive/tasks").json as? [[String: Any]] ?? []
        #expect((tasks.first?["config"] as? [String: String])?["connection.password"] == "${env:SLUICE_TEST_SECRET}")
        #expect(!worker.log.contains(secret))
    }
}
