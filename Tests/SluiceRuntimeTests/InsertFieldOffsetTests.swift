import Testing

@testable import SluiceRuntime

/// `InsertField`'s `offset.field`: the Kafka offset of a consumed record (sink path).
@Suite("InsertField offset.field")
struct InsertFieldOffsetTests {
    @Test("a consumed record gets its offset; other fields as before")
    func consumed() throws {
        let record = ConnectRecord(
            topic: "orders", partition: 2, key: .null, value: object(["id": .int(1)]), kafkaOffset: 41)
        let out = try run(
            chain(
                "org.apache.kafka.connect.transforms.InsertField$Value",
                ["offset.field": "offset", "partition.field": "partition"]),
            record)
        #expect(out?.value == object(["id": .int(1), "partition": .int(2), "offset": .int(41)]))
    }

    @Test("a record a source task wrote is refused with Kafka's message and left as it was; a tombstone passes")
    func sourceRecord() throws {
        let insert = try chain("InsertField$Key", ["offset.field": "offset"])
        var record = ConnectRecord(topic: "orders", key: object(["id": .int(1)]), value: .null)
        #expect {
            try insert.apply(&record)
        } throws: { error in
            (error as? ConversionError)?.description.hasPrefix("Only SinkRecord supported for [field insertion]")
                == true
        }
        #expect(record.key == object(["id": .int(1)]))
        #expect(try run(insert, ConnectRecord(topic: "t", key: .null, value: .null))?.key == .null)
    }
}
