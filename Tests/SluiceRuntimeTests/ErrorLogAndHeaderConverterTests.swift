import Testing

@testable import SluiceRuntime

@Suite("errors.log.include.messages and header.converter")
struct ErrorLogAndHeaderConverterTests {
    private func shown(_ bytes: [UInt8]?) -> String {
        guard let bytes else { return ErrorLog.shown(nil) }
        return bytes.withUnsafeBytes { ErrorLog.shown($0) }
    }

    @Test("a logged record is quoted text: control bytes escaped so no value forges a log line, long parts cut with their length")
    func shownRecord() {
        #expect(shown(Array(#"{"id": 1}"#.utf8)) == #""{\"id\": 1}""#)
        #expect(shown(Array("a\nsluice: error: forged\u{1}\\".utf8)) == #""a\nsluice: error: forged\x01\\""#)
        #expect(shown(nil) == "null")
        #expect(shown(Array("é".utf8)) == #""\xc3\xa9""#)
        let long = shown(Array(repeating: UInt8(ascii: "x"), count: 5_000))
        #expect(long.hasSuffix(" (5000 bytes, first 1024 shown)"))
        #expect(long.count == 1_024 + 2 + " (5000 bytes, first 1024 shown)".count)
        let line = Array("k".utf8).withUnsafeBytes { key in ErrorLog.record(key: key, value: nil) }
        #expect(line == #" key="k" value=null"#)
    }

    @Test("Kafka Connect's header converters that leave bytes as they are are accepted; another is refused at create and in a worker file")
    func headerConverter() throws {
        let base = ["name": "c", "connector.class": "x", "topics": "t"]
        for accepted in ["org.apache.kafka.connect.storage.SimpleHeaderConverter", "StringConverter", "org.apache.kafka.connect.converters.ByteArrayConverter"] {
            #expect(ConnectorConfig.problems(in: base.merging([HeaderConverterSetting.key: accepted]) { $1 }, isSink: true).isEmpty, "\(accepted)")
        }
        let refused = ConnectorConfig.problems(in: base.merging([HeaderConverterSetting.key: "io.confluent.connect.avro.AvroConverter"]) { $1 }, isSink: true)
        #expect(refused.map(\.name) == [HeaderConverterSetting.key])
        #expect(refused.first?.message.contains("AvroConverter is not supported") == true)
        #expect(throws: RuntimeError.self) {
            _ = try WorkerConfig(properties: ["bootstrap.servers": "b:9092", "header.converter": "com.example.Headers"])
        }
        #expect(try WorkerConfig(properties: ["bootstrap.servers": "b:9092", "header.converter": "org.apache.kafka.connect.storage.SimpleHeaderConverter"]).notices.isEmpty)
        #expect(try DistributedWorkerConfig(properties: [
            "bootstrap.servers": "b:9092", "group.id": "g", "config.storage.topic": "c", "offset.storage.topic": "o",
            "status.storage.topic": "s", "header.converter": "org.apache.kafka.connect.storage.SimpleHeaderConverter",
        ]).ignored.isEmpty)
    }
}
