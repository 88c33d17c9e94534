import SluiceCore
import Testing

@testable import SluiceRuntime

/// The transform example of Apache Kafka's documentation (the "Transformations" part of
/// "Kafka Connect", https://kafka.apache.org/documentation/#connect_transforms): the file
/// source's lines are wrapped in a `line` field, then a static `data_source` field is added.
@Suite("Kafka's documentation example: HoistField then InsertField")
struct KafkaDocumentationExampleTests {
    /// The settings of that example, as the documentation writes them.
    let config = [
        "transforms": "MakeMap, InsertSource",
        "transforms.MakeMap.type": "org.apache.kafka.connect.transforms.HoistField$Value",
        "transforms.MakeMap.field": "line",
        "transforms.InsertSource.type": "org.apache.kafka.connect.transforms.InsertField$Value",
        "transforms.InsertSource.static.field": "data_source",
        "transforms.InsertSource.static.value": "test-file-source",
    ]

    /// A line as the file source gives it, through the example chain and `converter`.
    func output(_ line: String, _ converter: JsonConverter) throws -> String {
        var record = ConnectRecord(
            topic: "connect-test", key: .null,
            value: try Array(line.utf8).withUnsafeBytes { try StringConverter().toValue($0) })
        #expect(try TransformChain(config: config).apply(&record))
        return String(decoding: try #require(try converter.toBytes(record.value)), as: UTF8.self)
    }

    @Test("without schemas, each line becomes {\"line\": ..., \"data_source\": \"test-file-source\"}")
    func plainJSON() throws {
        #expect(
            try output("foo", JsonConverter(schemasEnabled: false))
                == #"{"line":"foo","data_source":"test-file-source"}"#)
        #expect(
            try output("hello world", JsonConverter(schemasEnabled: false))
                == #"{"line":"hello world","data_source":"test-file-source"}"#)
    }

    @Test("with schemas, the same struct travels in Kafka Connect's envelope")
    func withSchemas() throws {
        #expect(
            try output("foo", JsonConverter(schemasEnabled: true))
                == #"{"schema":{"type":"struct","optional":false,"fields":[{"type":"string","optional":false,"field":"line"},"#
                + #"{"type":"string","optional":false,"field":"data_source"}]},"payload":{"line":"foo","data_source":"test-file-source"}}"#
        )
    }

    @Test("the file source's lines through the source path's processor, as a standalone worker runs them")
    func sourcePath() throws {
        // connect-file-source.properties with the example's transforms, and the worker's JsonConverter without schemas.
        var connector = config
        connector["value.converter"] = "org.apache.kafka.connect.json.JsonConverter"
        connector["value.converter.schemas.enable"] = "false"
        let pool = BatchPool(batchCount: 4, arenaBytes: 1 << 16, maxRecords: 16)
        let input = try #require(pool.tryAcquire())
        for line in ["foo", "bar"] {
            _ = try Array(line.utf8).withUnsafeBytes {
                try input.append(key: nil, value: $0, headers: [], timestampMs: 0, partition: -1)
            }
        }
        let processor = try SourceRecordProcessor(topic: "connect-test", format: .string, config: connector)
        var values: [String] = []
        try processor.process(
            input, acquire: { pool.tryAcquire() },
            emit: { batch in
                for index in 0..<batch.count {
                    values.append(String(decoding: try #require(batch[index].value), as: UTF8.self))
                }
                pool.release(batch)
            })
        #expect(
            values == [
                #"{"line":"foo","data_source":"test-file-source"}"#,
                #"{"line":"bar","data_source":"test-file-source"}"#,
            ])
    }
}
