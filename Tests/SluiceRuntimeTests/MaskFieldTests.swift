import SluiceRuntime
import Testing

@Suite("MaskField")
struct MaskFieldTests {
    let person = ConnectRecord(
        topic: "people", key: object(["id": .int(9)]),
        value: object([
            "name": .string("ada"), "age": .int(36), "score": .double(9.5), "admin": .boolean(true),
            "tags": .array([.string("a")]), "address": object(["city": .string("x")]), "note": .null,
        ]))

    @Test("without replacement, each field gets Kafka's empty value of its kind")
    func defaults() throws {
        let out = try run(
            chain(
                "org.apache.kafka.connect.transforms.MaskField$Value",
                ["fields": "name,age,score,admin,tags,address,note"]), person)
        #expect(
            out?.value
                == object([
                    "name": .string(""), "age": .int(0), "score": .double(0), "admin": .boolean(false),
                    "tags": .array([]), "address": .object([]), "note": .null,
                ]))
    }

    @Test("other fields are untouched and a field the object lacks is added as null")
    func onlyNamed() throws {
        let out = try run(chain("MaskField$Value", ["fields": "age,missing"]), person)
        #expect(out?.value[field: "name"] == .string("ada"))
        #expect(out?.value[field: "age"] == .int(0))
        #expect(out?.value[field: "missing"] == .null)
        #expect(out?.value.fields?.count == 8)
    }

    @Test("a replacement is read as the field's kind: a string as is, a number parsed")
    func replacement() throws {
        let out = try run(chain("MaskField$Value", ["fields": "name,age", "replacement": "42"]), person)
        #expect(out?.value[field: "name"] == .string("42"))
        #expect(out?.value[field: "age"] == .int(42))
        let stars = try run(chain("MaskField$Value", ["fields": "name,score", "replacement": "1.5"]), person)
        #expect(stars?.value[field: "score"] == .double(1.5))
    }

    @Test("a replacement that does not fit the field is refused and the record kept")
    func badReplacement() throws {
        var copy = person
        #expect(throws: ConversionError.self) {
            try chain("MaskField$Value", ["fields": "name,age", "replacement": "****"]).apply(&copy)
        }
        #expect(copy == person)
        #expect(throws: ConversionError.self) {
            try chain("MaskField$Value", ["fields": "admin", "replacement": "x"]).apply(&copy)
        }
    }

    @Test("$Key masks the key")
    func key() throws {
        let out = try run(chain("org.apache.kafka.connect.transforms.MaskField$Key", ["fields": "id"]), person)
        #expect(out?.key == object(["id": .int(0)]))
        #expect(out?.value == person.value)
    }

    @Test("fields is required and an empty replacement is refused at create time")
    func settings() {
        #expect(
            configError("MaskField$Value")
                == .invalidConfig(
                    name: "transforms.t.fields", value: "", reason: "MaskField$Value needs the fields to mask"))
        #expect(
            configError("MaskField$Value", ["fields": "a", "replacement": ""])?.description.contains(
                "transforms.t.replacement") == true)
    }
}
