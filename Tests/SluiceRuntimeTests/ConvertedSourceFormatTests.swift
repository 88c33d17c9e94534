import Foundation
import SluiceCore
import Testing

@testable import SluiceRuntime

/// Records a task wrote as its converters' bytes (`SourceValueFormat.converted`, the SQL source).
@Suite("Source records already converted by their task")
struct ConvertedSourceFormatTests {
    private func run(_ config: [String: String], value: String, key: String?) throws -> (needed: Bool, values: [String], keys: [String?]) {
        let pool = BatchPool(batchCount: 4, arenaBytes: 1 << 16, maxRecords: 16)
        let input = try #require(pool.tryAcquire())
        _ = try Array(value.utf8).withUnsafeBytes { v in
            guard let key else { return try input.append(key: nil, value: v, headers: [], timestampMs: 0, partition: -1) }
            return try Array(key.utf8).withUnsafeBytes { try input.append(key: $0, value: v, headers: [], timestampMs: 0, partition: -1) }
        }
        let processor = try SourceRecordProcessor(topic: "t", format: .converted, config: config)
        var values: [String] = []
        var keys: [String?] = []
        try processor.process(input, acquire: { pool.tryAcquire() }, emit: { batch in
            for i in 0..<batch.count {
                values.append(String(decoding: batch[i].value!, as: UTF8.self))
                keys.append(batch[i].key.map { String(decoding: $0, as: UTF8.self) })
            }
            pool.release(batch)
        })
        return (processor.isNeeded, values, keys)
    }

    @Test("without transforms they stay on the zero-copy path, whatever the converters")
    func passThrough() throws {
        let envelope = #"{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false,"name":"t"},"payload":{"id":7}}"#
        #expect(try run([:], value: envelope, key: nil).needed == false)
        #expect(try run(["value.converter": "org.apache.kafka.connect.json.JsonConverter"], value: envelope, key: nil).needed == false)
    }

    @Test("transforms read them through the connector's converters and write them back")
    func transformed() throws {
        let envelope = #"{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false,"name":"t"},"payload":{"id":7}}"#
        let config = [
            "transforms": "add", "transforms.add.type": "org.apache.kafka.connect.transforms.InsertField$Value",
            "transforms.add.static.field": "origin", "transforms.add.static.value": "db",
        ]
        let (needed, values, keys) = try run(config, value: envelope, key: envelope)
        #expect(needed)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(values[0].utf8)) as? [String: Any])
        let payload = try #require(object["payload"] as? [String: Any])
        #expect(payload["id"] as? Int == 7 && payload["origin"] as? String == "db", "\(values[0])")
        let key = try #require(try JSONSerialization.jsonObject(with: Data((keys[0] ?? "").utf8)) as? [String: Any])
        #expect((key["payload"] as? [String: Any])?["id"] as? Int == 7, "the key is read as JsonConverter JSON and written again: \(keys)")
        // Plain JSON (schemas off) comes back plain.
        let plain = try run(config.merging(["value.converter.schemas.enable": "false"]) { $1 }, value: #"{"id":8}"#, key: nil)
        let plainObject = try #require(try JSONSerialization.jsonObject(with: Data(plain.values[0].utf8)) as? [String: Any])
        #expect(plainObject["id"] as? Int == 8 && plainObject["origin"] as? String == "db" && plainObject["schema"] == nil)
    }
}
