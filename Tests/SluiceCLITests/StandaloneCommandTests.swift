import Foundation
import SluiceCore
import SluiceKafka
import SluiceRuntime
import Testing

@Suite("sluice standalone")
struct StandaloneCommandTests {
    static func lines(_ count: Int, prefix: String = "line") -> [String] {
        (0..<count).map { "\(prefix) \($0) " + String(repeating: "abc", count: $0 % 17) }
    }

    /// Writes `lines` to `path` (compressed by its name) with the same appender the sink uses.
    static func writeLines(_ lines: [String], to path: String) throws {
        let appender = try FileAppender(path: path)
        try Array(lines.map { $0 + "\n" }.joined().utf8).withUnsafeBytes { try appender.append($0) }
        try appender.flush()
    }

    static func readLines(_ path: String) throws -> [String] {
        var result: [String] = []
        try LineFileReader(path: path).forEachLine { line, _ in
            result.append(String(decoding: line, as: UTF8.self))
            return true
        }
        return result
    }

    /// Starts `sluice standalone` in the background, its stderr to `log` if given.
    static func start(_ arguments: [String], log: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = SluiceProcess.executable
        process.arguments = ["standalone"] + arguments
        process.standardOutput = FileHandle.nullDevice
        if let log {
            FileManager.default.createFile(atPath: log, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: log)
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        return process
    }

    @Test("file -> Kafka -> file is line-for-line identical, for plain, lz4 and zstd files", arguments: ["txt", "lz4", "zst"])
    func roundTrip(ext: String) throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["lines:1"])
        let lines = Self.lines(20_000)
        try Self.writeLines(lines, to: folder.file("in.\(ext)"))
        try folder.write("worker.properties", """
            listeners=http://127.0.0.1:0
            bootstrap.servers=\(broker.bootstrapServers)
            offset.storage.file.filename=\(folder.file("offsets.json"))
            offset.flush.interval.ms=500
            """)
        try folder.write("source.json", #"{"name": "src", "config": {"connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector", "file": "\#(folder.file("in.\(ext)"))", "topic": "lines"}}"#)
        try folder.write("sink.properties", "name=sink\nconnector.class=FileStreamSink\ntopics=lines\nfile=\(folder.file("out.\(ext)"))\n")
        let process = try Self.start(
            [folder.file("worker.properties"), folder.file("source.json"), folder.file("sink.properties")], log: folder.file("stderr.log"))
        let done = try eventually(seconds: 60) {
            try FileManager.default.fileExists(atPath: folder.file("out.\(ext)")) && Self.readLines(folder.file("out.\(ext)")).count >= lines.count
        }
        process.terminate()
        process.waitUntilExit()
        let stderr = (try? String(contentsOfFile: folder.file("stderr.log"), encoding: .utf8)) ?? ""
        #expect(done, "stderr: \(stderr)")
        #expect(process.terminationStatus == 0, "stderr: \(stderr)")
        #expect(try Self.readLines(folder.file("out.\(ext)")) == lines)
        let offsets = try String(contentsOfFile: folder.file("offsets.json"), encoding: .utf8)
        let size = lines.reduce(0) { $0 + $1.utf8.count + 1 }
        #expect(offsets.contains("\(size)"), "offsets: \(offsets)")
    }

    @Test("compressed files interoperate with the lz4 and zstd command-line tools", arguments: [("lz4", "lz4"), ("zst", "zstd")])
    func interoperates(ext: String, tool: String) throws {
        let folder = try TemporaryFolder()
        let lines = Self.lines(3_000)
        try Self.writeLines(lines, to: folder.file("ours.\(ext)"))
        let decode = Process()
        decode.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
        // lz4 takes "input output"; zstd takes "input -o output".
        let output = { (path: String) in tool == "zstd" ? ["-o", path] : [path] }
        decode.arguments = ["-d", "-q", "-f", folder.file("ours.\(ext)")] + output(folder.file("ours.txt"))
        try decode.run()
        decode.waitUntilExit()
        #expect(decode.terminationStatus == 0)
        #expect(try String(contentsOfFile: folder.file("ours.txt"), encoding: .utf8) == lines.map { $0 + "\n" }.joined())
        let encode = Process()
        encode.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
        encode.arguments = ["-q", "-f", folder.file("ours.txt")] + output(folder.file("theirs.\(ext)"))
        try encode.run()
        encode.waitUntilExit()
        #expect(try Self.readLines(folder.file("theirs.\(ext)")) == lines)
    }

    @Test("kill -9 mid-run and a restart: every line arrives at least once")
    func killAndRestart() throws {
        let folder = try TemporaryFolder()
        // 32 partitions hold all 1M lines within the mock broker's 5 MiB per partition.
        let broker = try BrokerProcess(topics: ["killed:32"])
        let lines = Self.lines(1_000_000, prefix: "k")
        try Self.writeLines(lines, to: folder.file("in.txt"))
        try folder.write("worker.properties", """
            listeners=http://127.0.0.1:0
            bootstrap.servers=\(broker.bootstrapServers)
            offset.storage.file.filename=\(folder.file("offsets.json"))
            offset.flush.interval.ms=200
            producer.linger.ms=50
            """)
        try folder.write("source.json", #"{"name": "src", "config": {"connector.class": "FileStreamSource", "file": "\#(folder.file("in.txt"))", "topic": "killed", "batch.size": "500"}}"#)
        let arguments = [folder.file("worker.properties"), folder.file("source.json")]

        var config = KafkaConfiguration(bootstrapServers: broker.bootstrapServers)
        config["log_level"] = "0"
        let consumer = try Consumer(configuration: config)
        try consumer.assign(topic: "killed", partitions: (0..<32).map(Int32.init), from: .beginning)
        let batch = ConsumedBatch(capacity: 10_000)
        var seen = Set<String>()
        var total = 0
        func drain(stopAfter limit: Int = .max) throws {
            while seen.count < limit, try consumer.poll(into: batch, timeoutMs: 50) > 0 {
                for i in 0..<batch.count where batch[i].error == nil {
                    seen.insert(String(decoding: batch[i].value ?? UnsafeRawBufferPointer(start: nil, count: 0), as: UTF8.self))
                    total += 1
                }
            }
        }

        let first = try Self.start(arguments)
        // Kill it once some, but not all, records are in Kafka and offsets were written.
        let partial = try eventually(seconds: 60) {
            try drain(stopAfter: 20_000)
            return seen.count >= 20_000 && FileManager.default.fileExists(atPath: folder.file("offsets.json"))
        }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        try drain()
        #expect(partial)
        #expect(seen.count < lines.count, "the kill must come before the end to test anything")

        let second = try Self.start(arguments)
        let complete = try eventually(seconds: 120) {
            try drain()
            return seen.count >= lines.count
        }
        second.terminate()
        second.waitUntilExit()
        #expect(complete)
        #expect(seen == Set(lines), "missing: \(Set(lines).subtracting(seen).count)")
        #expect(second.terminationStatus == 0)
    }

    @Test("kill -9 at random points while a compressed sink writes: the file always decodes and holds every line", arguments: ["zst", "lz4"])
    func killCompressedSink(ext: String) throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["torn:8"])
        // Random digits compress little, so more than 1 MiB of frames is written
        // between the (10 s apart) flushes: the kill can land in the middle of one.
        var generator = SystemRandomNumberGenerator()
        let lines = (0..<200_000).map { "t \($0) \(UInt64.random(in: 0...UInt64.max, using: &generator))" }
        try Self.writeLines(lines, to: folder.file("in.txt"))
        try folder.write("worker.properties", """
            listeners=http://127.0.0.1:0
            bootstrap.servers=\(broker.bootstrapServers)
            offset.storage.file.filename=\(folder.file("offsets.json"))
            offset.flush.interval.ms=10000
            consumer.session.timeout.ms=6000
            consumer.heartbeat.interval.ms=500
            """)
        try folder.write("source.json", #"{"name": "src", "config": {"connector.class": "FileStreamSource", "file": "\#(folder.file("in.txt"))", "topic": "torn", "batch.size": "500"}}"#)
        try folder.write("sink.properties", "name=sink\nconnector.class=FileStreamSink\ntopics=torn\nfile=\(folder.file("out.\(ext)"))\n")
        let arguments = [folder.file("worker.properties"), folder.file("source.json"), folder.file("sink.properties")]
        let output = folder.file("out.\(ext)")
        for round in 0..<3 {
            let process = try Self.start(arguments, log: folder.file("run-\(round).log"))
            // Until the sink has written something this round, then a random moment.
            _ = try eventually(seconds: 60) {
                ((try? FileManager.default.attributesOfItem(atPath: output)[.size] as? NSNumber)?.intValue ?? 0) > 0
            }
            usleep(UInt32.random(in: 100_000...1_500_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let last = try Self.start(arguments, log: folder.file("last.log"))
        defer { if last.isRunning { kill(last.processIdentifier, SIGKILL) } }
        let complete = try eventually(seconds: 120) {
            Set((try? Self.readLines(output)) ?? []).count >= lines.count
        }
        last.terminate()
        last.waitUntilExit()
        #expect(complete, "\((try? String(contentsOfFile: folder.file("last.log"), encoding: .utf8)) ?? "")")
        let read = Set(try Self.readLines(output))
        let expected = Set(lines)
        #expect(read == expected, "every line at least once, nothing else: \(expected.subtracting(read).count) missing, \(read.subtracting(expected).count) foreign")
        #expect(TornFrameSupport.toolAccepts(output, codec: ext) != false, "the \(ext) tool reads the file")
    }

    @Test("bad connector configs are one-line errors naming every problem", arguments: [
        (#"{"name": "x", "config": {"connector.class": "com.example.Nope"}}"#, "unknown connector.class 'com.example.Nope'; known classes: datagen, FileStreamSource, FileStreamSink, null"),
        (#"{"name": "x", "config": {"connector.class": "FileStreamSink", "tasks.max": "zero"}}"#, "connector 'x' has 3 invalid settings"),
        ("{\n \"name\": \"x\",\n  nope\n}", "is not valid JSON: error at line 3, column 3"),
        (#"{"config": {"connector.class": "null"}}"#, "has no connector \"name\""),
    ])
    func badConnector(json: String, message: String) throws {
        let folder = try TemporaryFolder()
        try folder.write("worker.properties", "listeners=http://127.0.0.1:0\nbootstrap.servers=127.0.0.1:1\noffset.storage.file.filename=\(folder.file("o.json"))\n")
        try folder.write("c.json", json)
        let outcome = try SluiceProcess.run(["standalone", folder.file("worker.properties"), folder.file("c.json")], timeout: 30)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains(message), "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1, "stderr: \(outcome.stderr)")
    }

    @Test("two connectors with one name, or a source without an offsets file, are refused")
    func refusedSetups() throws {
        let folder = try TemporaryFolder()
        try folder.write("worker.properties", "listeners=http://127.0.0.1:0\nbootstrap.servers=127.0.0.1:1\noffset.storage.file.filename=\(folder.file("o.json"))\n")
        try folder.write("no-offsets.properties", "listeners=http://127.0.0.1:0\nbootstrap.servers=127.0.0.1:1\n")
        try folder.write("a.json", #"{"name": "same", "config": {"connector.class": "datagen", "topic": "t"}}"#)
        try folder.write("b.json", #"{"name": "same", "config": {"connector.class": "null", "topics": "t"}}"#)
        let twice = try SluiceProcess.run(["standalone", folder.file("worker.properties"), folder.file("a.json"), folder.file("b.json")], timeout: 30)
        #expect(twice.status != 0)
        #expect(twice.stderr.contains("Connector same already exists"), "stderr: \(twice.stderr)")
        let unset = try SluiceProcess.run(["standalone", folder.file("no-offsets.properties"), folder.file("a.json")], timeout: 30)
        #expect(unset.status != 0)
        #expect(unset.stderr.contains("Missing required configuration \"offset.storage.file.filename\""), "stderr: \(unset.stderr)")
    }

    @Test("an unwritable offsets file or an unreadable worker file is a clear error")
    func badWorker() throws {
        let folder = try TemporaryFolder()
        try folder.write("worker.properties", "listeners=http://127.0.0.1:0\nbootstrap.servers=127.0.0.1:1\noffset.storage.file.filename=/nonexistent-dir/o.json\n")
        try folder.write("c.json", #"{"name": "x", "config": {"connector.class": "datagen", "topic": "t"}}"#)
        let outcome = try SluiceProcess.run(["standalone", folder.file("worker.properties"), folder.file("c.json")], timeout: 30)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("offsets file '/nonexistent-dir/o.json'"), "stderr: \(outcome.stderr)")
        let missing = try SluiceProcess.run(["standalone", folder.file("nope.properties")], timeout: 30)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot read '\(folder.file("nope.properties"))'"), "stderr: \(missing.stderr)")
    }

    /// Writes `bad.zst` (damaged near its start), a worker file for `broker` and
    /// `c.json`: the FileStreamSource connector "corrupt" reading it into topic `c`.
    static func writeCorruptSource(in folder: TemporaryFolder, broker: BrokerProcess) throws {
        try Self.writeLines(Self.lines(5_000), to: folder.file("bad.zst"))
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: folder.file("bad.zst"))))
        for i in 30..<80 { bytes[i] ^= 0x5A }
        try Data(bytes).write(to: URL(fileURLWithPath: folder.file("bad.zst")))
        try folder.write("worker.properties", "listeners=http://127.0.0.1:0\nbootstrap.servers=\(broker.bootstrapServers)\noffset.storage.file.filename=\(folder.file("o.json"))\n")
        try folder.write("c.json", #"{"name": "corrupt", "config": {"connector.class": "FileStreamSource", "file": "\#(folder.file("bad.zst"))", "topic": "c"}}"#)
    }

    @Test("a corrupt .zst source fails its task with the file and byte offset")
    func corruptSource() throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["c:1"])
        try Self.writeCorruptSource(in: folder, broker: broker)
        let process = Process()
        process.executableURL = SluiceProcess.executable
        process.arguments = ["standalone", folder.file("worker.properties"), folder.file("c.json")]
        let err = Pipe()
        process.standardError = err
        try process.run()
        sleep(3)
        process.terminate()
        process.waitUntilExit()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains("corrupt task 0 FAILED: '\(folder.file("bad.zst"))' is corrupt at byte"), "stderr: \(text)")
        #expect(process.terminationStatus != 0, "a task that ended FAILED makes the exit non-zero")
    }

    @Test("--exit-when-sources-end: a source task that ends FAILED ends the command non-zero, its error on stderr")
    func failedTaskEndsSources() throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["c:1"])
        try Self.writeCorruptSource(in: folder, broker: broker)
        let started = Date()
        let outcome = try SluiceProcess.run(
            ["standalone", "--exit-when-sources-end", folder.file("worker.properties"), folder.file("c.json")], timeout: 60)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(outcome.status != 0, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains("FAILED: corrupt-0: '\(folder.file("bad.zst"))' is corrupt at byte"), "stderr: \(outcome.stderr)")
    }

    @Test("--exit-when-sources-end with a source that never ends still stops at SIGTERM and SIGINT, within seconds", arguments: [SIGTERM, SIGINT])
    func signalsWhileWaitingForSources(signal: Int32) throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["f:1"])
        try folder.write("in.txt", "a\nb\n")
        try folder.write("worker.properties", "listeners=http://127.0.0.1:0\nbootstrap.servers=\(broker.bootstrapServers)\noffset.storage.file.filename=\(folder.file("o.json"))\n")
        try folder.write("c.json", #"{"name": "follow", "config": {"connector.class": "FileStreamSource", "file": "\#(folder.file("in.txt"))", "topic": "f"}}"#)
        let process = try Self.start(
            ["--exit-when-sources-end", folder.file("worker.properties"), folder.file("c.json")], log: folder.file("stderr.log"))
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // Read the file as text: opening an OffsetFile on it would race the worker's own
        // writes (both replace it through the same temporary name).
        #expect(try eventually(seconds: 20) { ((try? String(contentsOfFile: folder.file("o.json"), encoding: .utf8)) ?? "").contains("follow") })
        let sent = Date()
        kill(process.processIdentifier, signal)
        let exited = try eventually(seconds: 15) { !process.isRunning }
        #expect(exited, "\((try? String(contentsOfFile: folder.file("stderr.log"), encoding: .utf8)) ?? "")")
        #expect(Date().timeIntervalSince(sent) < 10)
        #expect(process.terminationStatus == 0)
    }

    @Test("with errors.tolerance=all a corrupt file is reported to the dead-letter topic and the other files keep flowing")
    func corruptSourceTolerated() throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["t:1", "dlq:1"])
        let good = Self.lines(3_000, prefix: "good")
        try Self.writeLines(good, to: folder.file("good.txt"))
        try Self.writeLines(Self.lines(5_000), to: folder.file("bad.zst"))
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: folder.file("bad.zst"))))
        for i in 30..<80 { bytes[i] ^= 0x5A }
        try Data(bytes).write(to: URL(fileURLWithPath: folder.file("bad.zst")))
        try folder.write("worker.properties", "listeners=http://127.0.0.1:0\nbootstrap.servers=\(broker.bootstrapServers)\noffset.storage.file.filename=\(folder.file("o.json"))\n")
        try folder.write("c.json", #"{"name": "tolerant", "config": {"connector.class": "FileStreamSource", "files": "\#(folder.file("bad.zst")),\#(folder.file("good.txt"))", "topic": "t", "follow": "false", "errors.tolerance": "all", "errors.deadletterqueue.topic.name": "dlq"}}"#)
        let outcome = try SluiceProcess.run(
            ["standalone", "--exit-when-sources-end", folder.file("worker.properties"), folder.file("c.json")], timeout: 60)
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains("gave up on '\(folder.file("bad.zst"))'"), "stderr: \(outcome.stderr)")

        func read(_ topic: String, until count: Int) throws -> [ConsumedText] {
            try Self.read(topic, from: broker, until: count)
        }
        let delivered = try read("t", until: good.count).map(\.value)
        #expect(Set(good).isSubset(of: Set(delivered)), "every line of the good file arrives")
        let dead = try read("dlq", until: 1)
        #expect(dead.count == 1)
        #expect(dead.first?.key == folder.file("bad.zst"))
        #expect(dead.first?.headers["__connect.errors.file.offset"].flatMap(Int.init) != nil)
        #expect(dead.first?.headers["__connect.errors.exception.message"]?.contains("is corrupt at byte") == true)
    }

    @Test("the worker's key.converter and value.converter are every connector's default; a connector's own wins")
    func workerConverters() throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["inherits:1", "overrides:1"])
        let lines = Self.lines(200)
        try Self.writeLines(lines, to: folder.file("in.txt"))
        try folder.write("worker.properties", """
            listeners=http://127.0.0.1:0
            bootstrap.servers=\(broker.bootstrapServers)
            offset.storage.file.filename=\(folder.file("o.json"))
            value.converter=org.apache.kafka.connect.json.JsonConverter
            value.converter.schemas.enable=false
            """)
        try folder.write("inherits.json", #"{"name": "inherits", "config": {"connector.class": "FileStreamSource", "file": "\#(folder.file("in.txt"))", "topic": "inherits", "follow": "false"}}"#)
        try folder.write("overrides.json", #"{"name": "overrides", "config": {"connector.class": "FileStreamSource", "file": "\#(folder.file("in.txt"))", "topic": "overrides", "follow": "false", "value.converter": "org.apache.kafka.connect.storage.StringConverter"}}"#)
        let outcome = try SluiceProcess.run(
            ["standalone", "--exit-when-sources-end", folder.file("worker.properties"), folder.file("inherits.json"), folder.file("overrides.json")],
            timeout: 60)
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(try Self.read("inherits", from: broker, until: lines.count).map(\.value) == lines.map { "\"\($0)\"" },
                "the worker's JsonConverter without schemas writes each line as a JSON string")
        #expect(try Self.read("overrides", from: broker, until: lines.count).map(\.value) == lines)
    }

    @Test("standalone serves the Kafka Connect REST API: connectors added there run, pause, resume and go")
    func restAPI() throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["rest-out:2"])
        try folder.write("start.json", #"{"name": "from-file", "config": {"connector.class": "datagen", "topic": "rest-out", "max.records.per.sec": "100"}}"#)
        let worker = try WorkerProcess(
            folder: folder, name: "standalone",
            properties: "listeners=http://127.0.0.1:0\nbootstrap.servers=\(broker.bootstrapServers)\noffset.storage.file.filename=\(folder.file("o.json"))\n",
            command: ["standalone"], after: [folder.file("start.json")])
        let root = try RestClient.call("GET", worker.url)
        #expect(root.status == 200)
        #expect((root.object["kafka_cluster_id"] as? String)?.isEmpty == false, "\(root.text)")
        #expect(try RestClient.call("GET", worker.url + "connectors").json as? [String] == ["from-file"])
        let created = try RestClient.call("POST", worker.url + "connectors", json: [
            "name": "from-rest", "config": ["connector.class": "datagen", "topic": "rest-out", "tasks.max": "2", "max.records.per.sec": "100"],
        ])
        #expect(created.status == 201, "\(created.text)")
        #expect((created.object["tasks"] as? [Any])?.count == 2)
        func states() throws -> [String] {
            (try RestClient.call("GET", worker.url + "connectors/from-rest/status").object["tasks"] as? [[String: Any]] ?? [])
                .compactMap { $0["state"] as? String }
        }
        #expect(try eventually(seconds: 20) { try states() == ["RUNNING", "RUNNING"] }, "\(worker.log)")
        let status = try RestClient.call("GET", worker.url + "connectors/from-rest/status").object
        #expect(((status["tasks"] as? [[String: Any]])?.first?["worker_id"] as? String).map { worker.url.contains($0) } == true)
        #expect(try RestClient.call("PUT", worker.url + "connectors/from-rest/pause").status == 202)
        #expect(try states() == ["PAUSED", "PAUSED"])
        #expect(try RestClient.call("PUT", worker.url + "connectors/from-rest/resume").status == 202)
        #expect(try eventually(seconds: 20) { try states() == ["RUNNING", "RUNNING"] })
        let metrics = try RestClient.call("GET", worker.url + "metrics").text
        #expect(metrics.contains("connector=\"from-rest\""), "\(metrics.prefix(2_000))")
        #expect(try RestClient.call("DELETE", worker.url + "connectors/from-rest").status == 204)
        #expect(try RestClient.call("GET", worker.url + "connectors/from-rest").status == 404)
        #expect(try RestClient.call("POST", worker.url + "connectors", json: ["name": "bad", "config": ["connector.class": "datagen", "tasks.max": "x"]]).status == 400)
        worker.kill(SIGTERM)
        worker.process.waitUntilExit()
        #expect(worker.process.terminationStatus == 0, "\(worker.log)")
    }

    @Test("offsets that cannot be written: an ERROR at once, and a non-zero exit once offset.flush.timeout.ms has passed")
    func offsetsUnwritable() throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["o-out:1"])
        try folder.write("in.txt", "a\nb\nc\n")
        try folder.write("worker.properties", """
            listeners=http://127.0.0.1:0
            bootstrap.servers=\(broker.bootstrapServers)
            offset.storage.file.filename=\(folder.file("o.json"))
            offset.flush.interval.ms=200
            offset.flush.timeout.ms=1500
            """)
        try folder.write("c.json", #"{"name": "c", "config": {"connector.class": "FileStreamSource", "file": "\#(folder.file("in.txt"))", "topic": "o-out"}}"#)
        let process = try Self.start([folder.file("worker.properties"), folder.file("c.json")], log: folder.file("stderr.log"))
        defer { if process.isRunning { process.terminate() } }
        #expect(try eventually(seconds: 20) { ((try? String(contentsOfFile: folder.file("o.json"), encoding: .utf8)) ?? "").contains("\"c\"") })
        // From now on the offsets file cannot be replaced; more lines make new offsets.
        try FileManager.default.createDirectory(atPath: folder.file("o.json.tmp"), withIntermediateDirectories: false)
        let more = try FileHandle(forWritingTo: URL(fileURLWithPath: folder.file("in.txt")))
        more.seekToEndOfFile()
        more.write(Data("d\ne\n".utf8))
        try more.close()
        let exited = try eventually(seconds: 20) { !process.isRunning }
        let stderr = (try? String(contentsOfFile: folder.file("stderr.log"), encoding: .utf8)) ?? ""
        #expect(exited, "stderr: \(stderr)")
        #expect(process.terminationStatus != 0)
        #expect(stderr.contains("ERROR: writing the source offsets failed"), "stderr: \(stderr)")
        #expect(stderr.contains("offset.flush.timeout.ms"), "stderr: \(stderr)")
    }

    /// Reads up to `count` records of partition 0 of `topic` (a few seconds at most).
    static func read(_ topic: String, from broker: BrokerProcess, until count: Int) throws -> [ConsumedText] {
        var config = KafkaConfiguration(bootstrapServers: broker.bootstrapServers)
        config["log_level"] = "0"
        let consumer = try Consumer(configuration: config)
        try consumer.assign(topic: topic, partitions: [0])
        let batch = ConsumedBatch(capacity: 5_000)
        var result: [ConsumedText] = []
        for _ in 0..<100 where result.count < count {
            try consumer.poll(into: batch, timeoutMs: 50)
            for i in 0..<batch.count where batch[i].error == nil {
                result.append(ConsumedText(
                    key: batch[i].key.map { String(decoding: $0, as: UTF8.self) },
                    value: batch[i].value.map { String(decoding: $0, as: UTF8.self) } ?? "",
                    headers: Dictionary(batch[i].headers.map { ($0.name, String(decoding: $0.value ?? [], as: UTF8.self)) }) { $1 }))
            }
        }
        return result
    }
}

struct ConsumedText {
    var key: String?
    var value: String
    var headers: [String: String]
}

/// The codecs' command-line tools as a second opinion on a file.
enum TornFrameSupport {
    /// Whether `zstd -t`/`lz4 -t` accepts the file; nil when the tool is missing.
    static func toolAccepts(_ path: String, codec: String) -> Bool? {
        let tool = "/usr/bin/" + (codec == "zst" ? "zstd" : "lz4")
        guard FileManager.default.isExecutableFile(atPath: tool) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-t", "-q", path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
