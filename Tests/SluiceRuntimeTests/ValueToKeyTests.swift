import SluiceRuntime
import Testing

@Suite("ValueToKey")
struct ValueToKeyTests {
    let order = ConnectRecord(
        topic: "orders", key: .null, value: object(["id": .int(7), "region": .string("eu"), "total": .double(9.5)]))

    @Test("the key becomes the named value fields, in the order named")
    func copiesFields() throws {
        let out = try run(chain("org.apache.kafka.connect.transforms.ValueToKey", ["fields": "region, id"]), order)
        #expect(out?.key == object(["region": .string("eu"), "id": .int(7)]))
        #expect(out?.value == order.value, "the value is unchanged")
    }

    @Test("a field the value lacks becomes null, as in Kafka Connect without a schema")
    func missingField() throws {
        let out = try run(chain("ValueToKey", ["fields": "id,customer"]), order)
        #expect(out?.key == object(["id": .int(7), "customer": .null]))
    }

    @Test("a value that is not an object is refused, and a record keeps its key")
    func notAnObject() throws {
        var text = ConnectRecord(topic: "t", key: .string("k"), value: .string("plain"))
        #expect(throws: ConversionError.self) { try chain("ValueToKey", ["fields": "id"]).apply(&text) }
        #expect(text.key == .string("k"))
    }

    @Test("fields is required")
    func fieldsRequired() {
        #expect(
            configError("ValueToKey")
                == .invalidConfig(
                    name: "transforms.t.fields", value: "",
                    reason: "ValueToKey needs the value's fields that make up the key"))
        #expect(configError("ValueToKey", ["fields": " , "]) != nil)
    }
}
