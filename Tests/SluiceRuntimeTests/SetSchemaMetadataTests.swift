import Testing

@testable import SluiceRuntime

/// Kafka Connect's `SetSchemaMetadata$Key`/`$Value`: Sluice's values carry no schema,
/// so the name and version go where a schema is written (JsonConverter's envelope).
@Suite("SetSchemaMetadata")
struct SetSchemaMetadataTests {
    let order = ConnectRecord(
        topic: "orders", key: .string("7"), value: object(["id": .int(7), "total": .double(2.5)]))

    func envelope(_ value: ConnectValue, _ schema: SchemaMetadata?, schemas: Bool = true) throws -> String {
        var out: [UInt8] = []
        _ = try JsonConverter(schemasEnabled: schemas).write(value, schema: schema, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test("name and version go into JsonConverter's envelope; the payload is unchanged")
    func valueNamed() throws {
        let out = try #require(
            try run(
                chain(
                    "org.apache.kafka.connect.transforms.SetSchemaMetadata$Value",
                    ["schema.name": "com.example.Order", "schema.version": "2"]),
                order))
        #expect(out.value == order.value)
        #expect(out.valueSchema == SchemaMetadata(name: "com.example.Order", version: 2))
        #expect(out.keySchema == nil)
        #expect(
            try envelope(out.value, out.valueSchema)
                == #"{"schema":{"type":"struct","optional":false,"fields":[{"type":"int64","optional":false,"field":"id"},"#
                + #"{"type":"double","optional":false,"field":"total"}],"name":"com.example.Order","version":2},"#
                + #""payload":{"id":7,"total":2.5}}"#)
        #expect(
            try envelope(out.value, out.valueSchema, schemas: false) == #"{"id":7,"total":2.5}"#, "no schema, no name")
    }

    @Test("$Key names the key's schema; a second transform changes only what it sets")
    func keyAndLayered() throws {
        let config = [
            "transforms": "n,v", "transforms.n.type": "SetSchemaMetadata$Key", "transforms.n.schema.name": "OrderKey",
            "transforms.v.type": "SetSchemaMetadata$Key", "transforms.v.schema.version": "3",
        ]
        let out = try #require(try run(TransformChain(config: config), order))
        #expect(out.keySchema == SchemaMetadata(name: "OrderKey", version: 3))
        #expect(out.valueSchema == nil)
        #expect(
            try envelope(out.key, out.keySchema)
                == #"{"schema":{"type":"string","optional":false,"name":"OrderKey","version":3},"payload":"7"}"#)
    }

    @Test("a null value without a schema name passes unchanged, as in Kafka")
    func tombstone() throws {
        let out = try run(
            chain("SetSchemaMetadata$Value", ["schema.name": "x"]), ConnectRecord(topic: "t", key: .null, value: .null))
        #expect(out?.valueSchema == nil)
    }

    @Test("the source path writes the named schema with JsonConverter")
    func sourcePath() throws {
        let config = [
            "transforms": "n", "transforms.n.type": "SetSchemaMetadata$Value", "transforms.n.schema.name": "Line",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
        ]
        #expect(
            try SourcePathHarness.values(["foo"], config: config)
                == [#"{"schema":{"type":"string","optional":false,"name":"Line"},"payload":"foo"}"#])
    }

    @Test(
        "bad settings are configuration errors naming the setting",
        arguments: [
            ([String: String](), "schema.name"),
            (["schema.name": ""], "schema.name"),
            (["schema.version": "two"], "schema.version"),
            (["schema.name": "x", "schema.version": "99999999999"], "schema.version"),
        ])
    func badSettings(settings: [String: String], setting: String) {
        #expect(isRefused("SetSchemaMetadata$Value", settings, naming: setting))
    }
}
