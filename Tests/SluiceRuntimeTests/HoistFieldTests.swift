import SluiceRuntime
import Testing

@Suite("HoistField")
struct HoistFieldTests {
    @Test("$Value wraps the value in a one-field object")
    func value() throws {
        let record = ConnectRecord(topic: "t", key: .string("k"), value: .string("hello"))
        let out = try run(chain("org.apache.kafka.connect.transforms.HoistField$Value", ["field": "line"]), record)
        #expect(out?.value == object(["line": .string("hello")]))
        #expect(out?.key == .string("k"))
    }

    @Test("$Key wraps the key; objects and null are wrapped too")
    func key() throws {
        let record = ConnectRecord(topic: "t", key: object(["id": .int(1)]), value: .null)
        let out = try run(chain("org.apache.kafka.connect.transforms.HoistField$Key", ["field": "k"]), record)
        #expect(out?.key == object(["k": object(["id": .int(1)])]))
        #expect(out?.value == .null)
        let nullKey = ConnectRecord(topic: "t", key: .null, value: .int(1))
        #expect(try run(chain("HoistField$Key", ["field": "k"]), nullKey)?.key == object(["k": .null]))
    }

    @Test("with JsonConverter schemas, the hoisted value travels as a struct")
    func withSchemas() throws {
        let converter = JsonConverter(schemasEnabled: true)
        let input = #"{"schema":{"type":"string","optional":false},"payload":"a line"}"#
        var record = ConnectRecord(
            topic: "t", key: .null, value: try Array(input.utf8).withUnsafeBytes { try converter.toValue($0) })
        _ = try chain("HoistField$Value", ["field": "line"]).apply(&record)
        let bytes = try #require(try converter.toBytes(record.value))
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == #"{"schema":{"type":"struct","optional":false,"fields":[{"type":"string","optional":false,"field":"line"}]},"payload":{"line":"a line"}}"#
        )
    }

    @Test("field is required")
    func fieldRequired() {
        #expect(
            configError("HoistField$Value", ["field": "  "])
                == .invalidConfig(
                    name: "transforms.t.field", value: "  ",
                    reason: "HoistField$Value needs the name of the field to wrap in"))
    }
}
