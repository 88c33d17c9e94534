import Foundation
import SluiceCore
import SluiceKafka
import Testing

@Suite("sluice standalone: converters on the sink path")
struct SinkConversionTests {
    @Test("JSON envelopes are unwrapped into the file; poison records go to the dead-letter topic with context headers")
    func jsonSinkWithDeadLetters() throws {
        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["events:1", "events-dlq:1"])
        var config = KafkaConfiguration(bootstrapServers: broker.bootstrapServers)
        config["log_level"] = "0"
        // 101 records in Kafka Connect's JSON envelope, with 2 poison records among them.
        let pool = BatchPool(batchCount: 1, arenaBytes: 1 << 20, maxRecords: 1000)
        let producer = try Producer(topic: "events", configuration: config) { pool.release($0) }
        let batch = try #require(pool.tryAcquire())
        var expected: [String] = []
        for i in 0..<103 {
            let value: String
            if i % 40 == 39 {
                value = "not json \(i)"
            } else {
                value = #"{"schema":{"type":"string","optional":false},"payload":"event \#(i)"}"#
                expected.append("event \(i)")
            }
            _ = try Array(value.utf8).withUnsafeBytes { try batch.append(key: nil, value: $0) }
        }
        try producer.produce(batch)
        try producer.flush(timeoutMs: 10_000)
        #expect(producer.statistics.delivered == 103)

        try folder.write("worker.properties", "listeners=http://127.0.0.1:0\nbootstrap.servers=\(broker.bootstrapServers)\noffset.flush.interval.ms=200\n")
        try folder.write("sink.json", """
            {"name": "json-sink", "config": {"connector.class": "FileStreamSink", "topics": "events", "file": "\(folder.file("out.txt"))",
             "value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "true",
             "errors.tolerance": "all", "errors.deadletterqueue.topic.name": "events-dlq",
             "errors.deadletterqueue.context.headers.enable": "true", "errors.log.enable": "true"}}
            """)
        let process = Process()
        process.executableURL = SluiceProcess.executable
        process.arguments = ["standalone", folder.file("worker.properties"), folder.file("sink.json")]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        var lines: [String] = []
        while Date() < deadline {
            lines = (try? String(contentsOfFile: folder.file("out.txt"), encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
            if lines.count >= expected.count { break }
            usleep(100_000)
        }
        process.terminate()
        process.waitUntilExit()
        #expect(lines == expected)
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("connector json-sink task 0: skipped events-0@39 at stage VALUE_CONVERTER"), "stderr: \(log)")
        #expect(!log.contains("not json 39"), "record contents are never logged")

        let consumer = try Consumer(configuration: config)
        try consumer.assign(topic: "events-dlq", partitions: [0])
        let consumed = ConsumedBatch(capacity: 100)
        var dead: [(String, [String: String])] = []
        for _ in 0..<100 where dead.count < 2 {
            try consumer.poll(into: consumed, timeoutMs: 50)
            for i in 0..<consumed.count where consumed[i].error == nil {
                let headers = Dictionary(consumed[i].headers.map { ($0.name, String(decoding: $0.value ?? [], as: UTF8.self)) }) { $1 }
                dead.append((String(decoding: consumed[i].value!, as: UTF8.self), headers))
            }
        }
        #expect(dead.map(\.0) == ["not json 39", "not json 79"])
        #expect(dead.first?.1["__connect.errors.topic"] == "events")
        #expect(dead.first?.1["__connect.errors.offset"] == "39")
        #expect(dead.first?.1["__connect.errors.stage"] == "VALUE_CONVERTER")
        #expect(dead.first?.1["__connect.errors.connector.name"] == "json-sink")
    }
}
