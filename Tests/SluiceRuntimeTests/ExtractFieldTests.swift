import SluiceRuntime
import Testing

@Suite("ExtractField")
struct ExtractFieldTests {
    let record = ConnectRecord(
        topic: "t", key: object(["id": .int(42), "shard": .int(3)]),
        value: object(["name": .string("ada"), "tags": .array([.string("x")])]))

    @Test("$Value keeps one field's value")
    func value() throws {
        let out = try run(chain("org.apache.kafka.connect.transforms.ExtractField$Value", ["field": "tags"]), record)
        #expect(out?.value == .array([.string("x")]))
        #expect(out?.key == record.key)
    }

    @Test("$Key keeps one field's value")
    func key() throws {
        let out = try run(chain("org.apache.kafka.connect.transforms.ExtractField$Key", ["field": "id"]), record)
        #expect(out?.key == .int(42))
        #expect(out?.value == record.value)
    }

    @Test("an absent field gives null; a tombstone passes")
    func absentAndTombstone() throws {
        #expect(try run(chain("ExtractField$Value", ["field": "missing"]), record)?.value == .null)
        let tombstone = ConnectRecord(topic: "t", key: .string("k"), value: .null)
        #expect(try run(chain("ExtractField$Value", ["field": "name"]), tombstone) == tombstone)
    }

    @Test("a value that is not an object is refused and kept")
    func notAnObject() throws {
        var number = ConnectRecord(topic: "t", key: .null, value: .int(5))
        #expect(throws: ConversionError.self) { try chain("ExtractField$Value", ["field": "a"]).apply(&number) }
        #expect(number.value == .int(5))
    }

    @Test("with JsonConverter schemas, the payload's field comes out in a new envelope")
    func withSchemas() throws {
        let converter = JsonConverter(schemasEnabled: true)
        let input =
            #"{"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"}],"optional":false},"payload":{"id":42}}"#
        var record = ConnectRecord(
            topic: "t", key: .null, value: try Array(input.utf8).withUnsafeBytes { try converter.toValue($0) })
        _ = try chain("ExtractField$Value", ["field": "id"]).apply(&record)
        let bytes = try #require(try converter.toBytes(record.value))
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"schema":{"type":"int64","optional":false},"payload":42}"#)
    }

    @Test("field is required")
    func fieldRequired() {
        #expect(
            configError("ExtractField$Key")
                == .invalidConfig(
                    name: "transforms.t.field", value: "", reason: "ExtractField$Key needs the field to extract"))
    }
}
