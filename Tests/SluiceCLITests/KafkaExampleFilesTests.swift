import Foundation
import Testing

/// Apache Kafka's own example files (``KafkaExampleFiles``) and the REST calls of
/// Kafka's documentation, against `sluice standalone` and `sluice worker`: what a
/// Kafka Connect user moving over tries first.
@Suite("Kafka's example files and documented REST calls")
struct KafkaExampleFilesTests {
    static func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test("connect-standalone.properties with connect-file-source and connect-file-sink: the quickstart, then status, topics, offsets, stop, an offsets PATCH as documented, and resume")
    func standaloneQuickstart() throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["connect-test:1"])
        try folder.write("test.txt", "foo\nbar\n")
        try folder.write("connect-file-source.properties", KafkaExampleFiles.fileSource)
        try folder.write("connect-file-sink.properties", KafkaExampleFiles.fileSink)
        let worker = try WorkerProcess(
            folder: folder, name: "connect-standalone",
            properties: KafkaExampleFiles.standalone(bootstrap: broker.bootstrapServers, offsets: folder.file("connect.offsets")),
            directory: folder.path, command: ["standalone"],
            after: [folder.file("connect-file-source.properties"), folder.file("connect-file-sink.properties")])
        let sinkFile = folder.file("test.sink.txt")
        #expect(try eventually(seconds: 30) { Self.lines(sinkFile) == ["foo", "bar"] }, "\(Self.lines(sinkFile))\n\(worker.log)")

        let names = try RestClient.call("GET", worker.url + "connectors")
        #expect(names.status == 200)
        #expect((try JSONSerialization.jsonObject(with: Data(names.text.utf8)) as? [String])?.sorted() == ["local-file-sink", "local-file-source"])
        let status = try RestClient.call("GET", worker.url + "connectors/local-file-source/status").object
        #expect((status["connector"] as? [String: Any])?["state"] as? String == "RUNNING")
        #expect((status["tasks"] as? [[String: Any]])?.first?["state"] as? String == "RUNNING")
        #expect(status["type"] as? String == "source")

        for name in ["local-file-source", "local-file-sink"] {
            let topics = try RestClient.call("GET", worker.url + "connectors/\(name)/topics").object
            #expect((topics[name] as? [String: Any])?["topics"] as? [String] == ["connect-test"], "\(name): \(topics)")
        }
        // Kafka's FileStreamSource keys: {"filename": ...} and {"position": bytes}.
        var sourceOffsets: [[String: Any]] = []
        #expect(try eventually(seconds: 20) {
            sourceOffsets = try RestClient.call("GET", worker.url + "connectors/local-file-source/offsets").object["offsets"] as? [[String: Any]] ?? []
            return (sourceOffsets.first?["offset"] as? [String: Any])?["position"] as? Int == 8
        }, "\(sourceOffsets)")
        #expect(sourceOffsets.count == 1)
        #expect(sourceOffsets.first?["partition"] as? [String: String] == ["filename": "test.txt"])
        var sinkOffsets: [[String: Any]] = []
        #expect(try eventually(seconds: 20) {
            sinkOffsets = try RestClient.call("GET", worker.url + "connectors/local-file-sink/offsets").object["offsets"] as? [[String: Any]] ?? []
            return (sinkOffsets.first?["offset"] as? [String: Any])?["kafka_offset"] as? Int == 2
        }, "\(sinkOffsets)")
        let sinkPartition = sinkOffsets.first?["partition"] as? [String: Any]
        #expect(sinkPartition?["kafka_topic"] as? String == "connect-test" && sinkPartition?["kafka_partition"] as? Int == 0, "\(sinkOffsets)")

        // KIP-875 as Kafka's documentation shows it: stop, PATCH the offsets, resume.
        #expect(try RestClient.call("PUT", worker.url + "connectors/local-file-source/stop").status == 204)
        let patched = try RestClient.call("PATCH", worker.url + "connectors/local-file-source/offsets", json: [
            "offsets": [["partition": ["filename": "test.txt"], "offset": ["position": 4]]],
        ])
        #expect(patched.status == 200, "\(patched.text)")
        #expect(try RestClient.call("PUT", worker.url + "connectors/local-file-source/resume").status == 202)
        #expect(try eventually(seconds: 30) { Self.lines(sinkFile) == ["foo", "bar", "bar"] }, "the source read again from byte 4: \(Self.lines(sinkFile))")
        #expect(try RestClient.call("DELETE", worker.url + "connectors/local-file-sink").status == 204)
        #expect(try RestClient.call("GET", worker.url + "connectors/local-file-sink").status == 404)
    }

    @Test("connect-distributed.properties: the worker starts, takes connect-file-source and connect-file-sink as JSON through REST, and copies the file")
    func distributedFileCopy() throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["connect-test:1"])
        try folder.write("test.txt", "foo\nbar\n")
        let worker = try WorkerProcess(
            folder: folder, name: "connect-distributed", properties: KafkaExampleFiles.distributed(bootstrap: broker.bootstrapServers),
            directory: folder.path)
        // The documentation's POST bodies: {"name": ..., "config": {...}} from the example files' settings.
        for (name, text) in [("local-file-source", KafkaExampleFiles.fileSource), ("local-file-sink", KafkaExampleFiles.fileSink)] {
            var config: [String: String] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 && parts[0] != "name" { config[parts[0]] = parts[1] }
            }
            var reply = try RestClient.call("POST", worker.url + "connectors", json: ["name": name, "config": config])
            // The first group join of the embedded cluster takes a few seconds; a write waits for it.
            if reply.status == 409 {
                _ = try eventually(seconds: 30) {
                    reply = try RestClient.call("POST", worker.url + "connectors", json: ["name": name, "config": config])
                    return reply.status != 409
                }
            }
            #expect(reply.status == 201, "\(name): \(reply.text)\n\(worker.log)")
            #expect(reply.headers["location"] == "/connectors/\(name)")
        }
        let sinkFile = folder.file("test.sink.txt")
        #expect(try eventually(seconds: 40) { Self.lines(sinkFile) == ["foo", "bar"] }, "\(Self.lines(sinkFile))\n\(worker.log)")
        let expanded = try RestClient.call("GET", worker.url + "connectors?expand=status&expand=info").object
        #expect(Set(expanded.keys) == ["local-file-source", "local-file-sink"])
        #expect(((expanded["local-file-sink"] as? [String: Any])?["info"] as? [String: Any])?["type"] as? String == "sink")

        // /admin/loggers (KIP-495): the worker's own lines follow the level set while it runs.
        #expect(worker.log.contains(#"connector "local-file-sink" created"#), "\(worker.log)")
        let set = try RestClient.call("PUT", worker.url + "admin/loggers/sluice.worker", json: ["level": "ERROR"])
        #expect(set.status == 200, "\(set.text)")
        let quiet = try RestClient.call("POST", worker.url + "connectors", json: ["name": "quiet", "config": ["connector.class": "FileStreamSink", "file": "q.txt", "topics": "connect-test"]])
        #expect(quiet.status == 201, "\(quiet.text)")
        #expect(!worker.log.contains(#"connector "quiet" created"#), "an INFO line was written with sluice.worker at ERROR")
        #expect(try RestClient.call("GET", worker.url + "admin/loggers/sluice.worker").object["level"] as? String == "ERROR")
    }
}
