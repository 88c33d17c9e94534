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

    @Test("JsonConverter reads the name and version back from an envelope (the sink path's records carry them)")
    func readBack() throws {
        let envelope = #"{"schema":{"type":"string","optional":false,"name":"Line","version":4},"payload":"foo"}"#
        let (value, schema) = try Array(envelope.utf8).withUnsafeBytes { try JsonConverter().toValueAndSchema($0) }
        #expect(value == .string("foo"))
        #expect(schema == SchemaMetadata(name: "Line", version: 4))
        let plain = #"{"schema":{"type":"string","optional":false},"payload":"foo"}"#
        #expect(try Array(plain.utf8).withUnsafeBytes { try JsonConverter().toValueAndSchema($0) }.1 == nil)
        #expect(try Array(#""foo""#.utf8).withUnsafeBytes { try StringConverter().toValueAndSchema($0) }.1 == nil)
    }

    @Test(
        "a transform that makes a new key or value drops the name, as Kafka's make a new schema",
        arguments: [
            ("HoistField$Value", ["field": "wrapped"]), ("ExtractField$Value", ["field": "id"]),
            ("Cast$Value", ["spec": "total:string,id:float64"]), ("ValueToKey", ["fields": "id"]),
        ])
    func reshaped(type: String, settings: [String: String]) throws {
        var config = [
            "transforms": "n,k,t", "transforms.n.type": "SetSchemaMetadata$Value", "transforms.n.schema.name": "Order",
            "transforms.k.type": "SetSchemaMetadata$Key", "transforms.k.schema.name": "OrderKey",
        ]
        config["transforms.t.type"] = type
        for (key, value) in settings { config["transforms.t." + key] = value }
        let out = try #require(try run(TransformChain(config: config), order))
        switch type {
        case "ValueToKey": #expect(out.keySchema == nil && out.valueSchema?.name == "Order")
        case "Cast$Value": #expect(out.valueSchema?.name == "Order", "casting fields keeps the struct's name")
        default: #expect(out.valueSchema == nil && out.keySchema?.name == "OrderKey")
        }
        var whole = ConnectRecord(topic: "t", key: .null, value: .double(2.5))
        whole.valueSchema = SchemaMetadata(name: "Amount")
        #expect(
            try run(chain("Cast$Value", ["spec": "string"]), whole)?.valueSchema == nil, "a whole cast: a new schema")
        let kept = try #require(try run(chain("SetSchemaMetadata$Value", ["schema.name": "Order"]), order))
        #expect(
            try run(chain("InsertField$Value", ["static.field": "s", "static.value": "v"]), kept)?.valueSchema?.name
                == "Order")
    }

    @Test("a task that writes the converters' bytes keeps its envelope's name through the transforms")
    func convertedSource() throws {
        let config = [
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
            "transforms": "i", "transforms.i.type": "InsertHeader", "transforms.i.header": "h",
            "transforms.i.value.literal": "v",
        ]
        let envelope = #"{"schema":{"type":"string","optional":false,"name":"Line","version":4},"payload":"foo"}"#
        let (outputs, _) = try SourcePathHarness.run([(envelope, [])], config: config, format: .converted)
        #expect(outputs.map(\.value) == [envelope])
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
