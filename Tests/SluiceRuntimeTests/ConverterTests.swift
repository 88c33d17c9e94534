import SluiceRuntime
import Testing

@Suite("Converters")
struct ConverterTests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    func read(_ converter: any Converter, _ text: String?) throws -> ConnectValue {
        guard let text else { return try converter.toValue(nil) }
        return try Array(text.utf8).withUnsafeBytes { try converter.toValue($0) }
    }

    @Test("StringConverter and ByteArrayConverter pass bytes through")
    func passThrough() throws {
        #expect(try StringConverter().toBytes(.string("héllo")) == bytes("héllo"))
        #expect(try read(StringConverter(), "héllo") == .string("héllo"))
        #expect(try StringConverter().toBytes(.null) == nil)
        #expect(try ByteArrayConverter().toBytes(.bytes([1, 2, 3])) == [1, 2, 3])
        #expect(try read(ByteArrayConverter(), nil) == .null)
        #expect(throws: ConversionError.self) { try ByteArrayConverter().toBytes(.int(3)) }
    }

    @Test("JsonConverter with schemas writes Kafka Connect's envelope and reads it back")
    func jsonWithSchemas() throws {
        let converter = JsonConverter(schemasEnabled: true)
        let text = String(decoding: try converter.toBytes(.string("a \"line\""))!, as: UTF8.self)
        #expect(text == #"{"schema":{"type":"string","optional":false},"payload":"a \"line\""}"#)
        let object = ConnectValue.object([ConnectField("id", .int(7)), ConnectField("ok", .boolean(true))])
        let written = String(decoding: try converter.toBytes(object)!, as: UTF8.self)
        #expect(written == #"{"schema":{"type":"struct","optional":false,"fields":[{"type":"int64","optional":false,"field":"id"},{"type":"boolean","optional":false,"field":"ok"}]},"payload":{"id":7,"ok":true}}"#)
        #expect(try read(converter, written) == object)
    }

    @Test("JsonConverter without schemas reads and writes plain JSON")
    func jsonPlain() throws {
        let converter = JsonConverter(schemasEnabled: false)
        #expect(String(decoding: try converter.toBytes(.object([ConnectField("a", .double(1.5))]))!, as: UTF8.self) == #"{"a":1.5}"#)
        #expect(try read(converter, #"{"b": [1, "x", null], "a": false}"#)
            == .object([ConnectField("b", .array([.int(1), .string("x"), .null])), ConnectField("a", .boolean(false))]))
        #expect(try read(JsonConverter(schemasEnabled: false), #" {"s": "a\n\"b\" \u00e9", "n": -1.5e2, "i": -42} "#)
            == .object([ConnectField("s", .string("a\n\"b\" é")), ConnectField("n", .double(-150)), ConnectField("i", .int(-42))]))
        let awkward = "tab\there \\ \"q\" \u{01}\r\nend é"
        let written = String(decoding: try converter.toBytes(.string(awkward))!, as: UTF8.self)
        #expect(written == #""tab\there \\ \"q\" \u0001\r\nend é""#)
        #expect(try read(converter, written) == .string(awkward))
    }

    @Test("integers keep their exact value at the ends of Int64; larger ones become doubles")
    func integerRange() throws {
        let plain = JsonConverter(schemasEnabled: false)
        #expect(try read(plain, "9223372036854775807") == .int(Int64.max))
        #expect(try read(plain, "-9223372036854775808") == .int(Int64.min))
        #expect(try read(plain, "9223372036854775808") == .double(9223372036854775808))
        #expect(try read(plain, "-0") == .int(0))
        #expect(try read(plain, "123456789012345678901234") == .double(1.2345678901234568e23))
        for number: Int64 in [0, 7, -7, 10, 1_000_000, Int64.max, Int64.min] {
            #expect(String(decoding: try plain.toBytes(.int(number))!, as: UTF8.self) == String(number))
        }
        for bad in ["-", "-x", "1.2.3", "--1"] {
            #expect(throws: ConversionError.self, "\(bad)") { try read(plain, bad) }
        }
    }

    @Test("schemas of arrays and nested structs, written into a reused buffer")
    func nestedSchemaIntoBuffer() throws {
        let converter = JsonConverter(schemasEnabled: true)
        let value = ConnectValue.object([
            ConnectField("tags", .array([.string("a")])), ConnectField("empty", .array([])),
            ConnectField("inner", .object([ConnectField("x", .double(1.5)), ConnectField("n", .null)])),
        ])
        var buffer = Array("leftover".utf8)
        buffer.removeAll(keepingCapacity: true)
        #expect(try converter.write(value, into: &buffer))
        #expect(String(decoding: buffer, as: UTF8.self) == #"{"schema":{"type":"struct","optional":false,"fields":[{"type":"array","optional":false,"items":{"type":"string","optional":false},"field":"tags"},{"type":"array","optional":false,"items":{"type":"string","optional":true},"field":"empty"},{"type":"struct","optional":false,"fields":[{"type":"double","optional":false,"field":"x"},{"type":"string","optional":true,"field":"n"}],"field":"inner"}]},"payload":{"tags":["a"],"empty":[],"inner":{"x":1.5,"n":null}}}"#)
        #expect(try read(converter, String(decoding: buffer, as: UTF8.self)) == value)
        // A null part writes nothing and says so.
        var untouched = Array("keep".utf8)
        #expect(try !JsonConverter(schemasEnabled: false).write(.null, into: &untouched))
        #expect(try !ByteArrayConverter().write(.null, into: &untouched))
        #expect(untouched == Array("keep".utf8))
        #expect(try StringConverter().write(.int(5), into: &untouched) && untouched == Array("keep5".utf8))
    }

    @Test("bad JSON and a missing envelope are conversion errors")
    func jsonErrors() throws {
        for bad in ["{oops", "[1,", "\"open", "{\"a\" 1}", "1 2", "tru", "+1", ".5", "1.", "01", "-01", "1e", "1e+", "1.e3",
                    #""\x""#, #""\u+041""#, #""\u12""#, #""\u12G4""#, "[1-2]"] {
            #expect(throws: ConversionError.self, "\(bad)") { try read(JsonConverter(schemasEnabled: false), bad) }
        }
        #expect(throws: ConversionError.self) { try read(JsonConverter(schemasEnabled: true), #"{"a": 1}"#) }
        // JSON's own escapes, and a surrogate pair as one character; a lone half becomes U+FFFD.
        #expect(try read(JsonConverter(schemasEnabled: false), #""\/\b\f\uD83D\uDE00\uD83D!\u0041""#)
            == .string("/\u{8}\u{C}\u{1F600}\u{FFFD}!A"))
        #expect(try read(JsonConverter(schemasEnabled: false), "[0, -0, 0.5, -1.5e-3, 2E+2, 1e2]")
            == .array([.int(0), .int(0), .double(0.5), .double(-0.0015), .double(200), .double(100)]))
    }

    @Test("converters are made from Kafka Connect settings")
    func factory() throws {
        let config = ["value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "false"]
        let converter = try ConverterFactory.make(prefix: "value.converter", config: config, defaultName: "StringConverter")
        #expect((converter as? JsonConverter)?.schemasEnabled == false)
        #expect(try ConverterFactory.make(prefix: "key.converter", config: [:], defaultName: "StringConverter") is StringConverter)
        #expect(throws: RuntimeError.self) {
            try ConverterFactory.make(prefix: "value.converter", config: ["value.converter": "com.example.Avro"], defaultName: "x")
        }
        #expect(throws: RuntimeError.invalidConfig(name: "value.converter.schemas.enable", value: "maybe", reason: "Expected value to be either true or false")) {
            try ConverterFactory.make(
                prefix: "value.converter", config: ["value.converter": "JsonConverter", "value.converter.schemas.enable": "maybe"],
                defaultName: "x")
        }
    }

    @Test("each converter's own settings are checked as Kafka checks them; decimal.format in any case, encodings other than UTF-8 refused")
    func converterSettings() throws {
        func make(_ converter: String, _ settings: [String: String]) throws -> any Converter {
            var config = ["value.converter": converter]
            for (name, value) in settings { config["value.converter." + name] = value }
            return try ConverterFactory.make(prefix: "value.converter", config: config, defaultName: "x")
        }
        let json = "org.apache.kafka.connect.json.JsonConverter"
        #expect(try make(json, ["decimal.format": "numeric", "schemas.cache.size": "50", "replace.null.with.default": "false"]) is JsonConverter)
        #expect(try make("org.apache.kafka.connect.storage.StringConverter", ["converter.encoding": "utf-8"]) is StringConverter)
        #expect(throws: RuntimeError.invalidConfig(name: "value.converter.decimal.format", value: "HEX", reason: "String must be one of: BASE64, NUMERIC")) {
            try make(json, ["decimal.format": "hex"])
        }
        #expect(throws: RuntimeError.invalidConfig(name: "value.converter.schemas.cache.size", value: "lots", reason: "Not a number of type INT")) {
            try make(json, ["schemas.cache.size": "lots"])
        }
        #expect(throws: RuntimeError.invalidConfig(name: "value.converter.converter.encoding", value: "ISO-8859-1", reason: "Sluice's StringConverter reads and writes UTF-8 only")) {
            try make("StringConverter", ["converter.encoding": "ISO-8859-1"])
        }
        // At create time: one problem per bad setting, worded once.
        let problems = ConnectorConfig.problems(
            in: ["name": "c", "connector.class": "datagen", "value.converter": json, "value.converter.decimal.format": "hex"], isSink: false)
        #expect(problems.filter { $0.name == "value.converter.decimal.format" }.map(\.message) == ["Invalid value HEX for configuration value.converter.decimal.format: String must be one of: BASE64, NUMERIC"])
    }
}

@Suite("Transforms")
struct TransformTests {
    let record = ConnectRecord(
        topic: "logs-app", partition: 2, key: .null,
        value: .object([ConnectField("msg", .string("hi")), ConnectField("level", .string("info")), ConnectField("secret", .string("x"))]),
        timestampMs: 1000)

    @Test("RegexRouter renames matching topics only")
    func router() throws {
        var config = ["transforms": "r", "transforms.r.type": "org.apache.kafka.connect.transforms.RegexRouter",
                      "transforms.r.regex": "logs-(.*)", "transforms.r.replacement": "archive-$1"]
        var copy = record
        #expect(try TransformChain(config: config).apply(&copy))
        #expect(copy.topic == "archive-app")
        config["transforms.r.regex"] = "metrics-(.*)"
        copy = record
        _ = try TransformChain(config: config).apply(&copy)
        #expect(copy.topic == "logs-app")
    }

    @Test("InsertField adds topic, partition, timestamp and static fields")
    func insert() throws {
        let chain = try TransformChain(config: [
            "transforms": "i", "transforms.i.type": "org.apache.kafka.connect.transforms.InsertField$Value",
            "transforms.i.topic.field": "t", "transforms.i.partition.field": "p", "transforms.i.timestamp.field": "ts",
            "transforms.i.static.field": "dc", "transforms.i.static.value": "eu",
        ])
        var copy = record
        _ = try chain.apply(&copy)
        #expect(copy.value[field: "t"] == .string("logs-app"))
        #expect(copy.value[field: "p"] == .int(2))
        #expect(copy.value[field: "ts"] == .int(1000))
        #expect(copy.value[field: "dc"] == .string("eu"))
        var text = ConnectRecord(topic: "x", key: .null, value: .string("plain"))
        #expect(throws: ConversionError.self) { try chain.apply(&text) }
        #expect(text.value == .string("plain"), "a refused record keeps its value")
        // A field already there is replaced, not repeated, and the original record is untouched.
        var twice = copy
        _ = try chain.apply(&twice)
        #expect(twice.value.fields?.count == copy.value.fields?.count)
        #expect(record.value.fields?.count == 3)
        var keyed = ConnectRecord(topic: "k", key: .object([ConnectField("id", .int(1))]), value: .string("v"))
        _ = try TransformChain(config: [
            "transforms": "i", "transforms.i.type": "InsertField$Key", "transforms.i.static.field": "src", "transforms.i.static.value": "a",
        ]).apply(&keyed)
        #expect(keyed.key == .object([ConnectField("id", .int(1)), ConnectField("src", .string("a"))]))
        #expect(keyed.value == .string("v"))
    }

    @Test("ReplaceField includes, excludes and renames")
    func replace() throws {
        var copy = record
        _ = try TransformChain(config: [
            "transforms": "x", "transforms.x.type": "org.apache.kafka.connect.transforms.ReplaceField$Value",
            "transforms.x.exclude": "secret", "transforms.x.renames": "msg:message",
        ]).apply(&copy)
        #expect(copy.value == .object([ConnectField("message", .string("hi")), ConnectField("level", .string("info"))]))
        copy = record
        _ = try TransformChain(config: [
            "transforms": "x", "transforms.x.type": "ReplaceField$Value", "transforms.x.include": "level",
        ]).apply(&copy)
        #expect(copy.value == .object([ConnectField("level", .string("info"))]))
        #expect(throws: RuntimeError.self) {
            try TransformChain(config: ["transforms": "x", "transforms.x.type": "ReplaceField$Value", "transforms.x.renames": "nocolon"])
        }
        var text = ConnectRecord(topic: "x", key: .null, value: .int(4))
        #expect(throws: ConversionError.self) {
            try TransformChain(config: ["transforms": "x", "transforms.x.type": "ReplaceField$Value", "transforms.x.exclude": "a"]).apply(&text)
        }
        #expect(text.value == .int(4), "a refused record keeps its value")
    }

    @Test("Filter with TopicNameMatches drops matching records; negate keeps only them")
    func filter() throws {
        var config = [
            "transforms": "f", "transforms.f.type": "org.apache.kafka.connect.transforms.Filter", "transforms.f.predicate": "isLog",
            "predicates": "isLog", "predicates.isLog.type": "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
            "predicates.isLog.pattern": "logs-.*",
        ]
        var copy = record
        #expect(try !TransformChain(config: config).apply(&copy))
        var other = ConnectRecord(topic: "orders", key: .null, value: .null)
        #expect(try TransformChain(config: config).apply(&other))
        config["transforms.f.negate"] = "true"
        #expect(try TransformChain(config: config).apply(&copy))
        #expect(try !TransformChain(config: config).apply(&other))
    }

    @Test("unknown transforms and predicates are named")
    func unknown() {
        #expect(throws: RuntimeError.self) {
            try TransformChain(config: ["transforms": "r", "transforms.r.type": "RegexRouter", "transforms.r.regex": "(unclosed", "transforms.r.replacement": "x"])
        }
        #expect(throws: RuntimeError.self) {
            try TransformChain(config: ["predicates": "p", "predicates.p.type": "TopicNameMatches", "predicates.p.pattern": "[bad"])
        }
        #expect(throws: RuntimeError.self) {
            try TransformChain(config: ["predicates": "p", "predicates.p.type": "com.example.HasHeaderKey"])
        }
        #expect(throws: RuntimeError.self) { try TransformChain(config: ["transforms": "a", "transforms.a.type": "com.example.Mask"]) }
        #expect(throws: RuntimeError.self) {
            try TransformChain(config: ["transforms": "f", "transforms.f.type": "Filter", "transforms.f.predicate": "nope"])
        }
    }
}
