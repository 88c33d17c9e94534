import SluiceCore
import Testing

@testable import SluiceRuntime

/// Kafka Connect's header transforms and predicate: `HeaderFrom`, `InsertHeader`,
/// `DropHeaders`, `HasHeaderKey`.
@Suite("Header transforms")
struct HeaderTransformsTests {
    func header(_ name: String, _ text: String?) -> RecordHeader {
        RecordHeader(name: name, value: text.map { Array($0.utf8) })
    }

    let order = ConnectRecord(
        topic: "orders", key: object(["id": .int(7)]),
        value: object(["id": .int(7), "source": .string("web"), "total": .double(2.5), "tags": .array([.string("a")])]),
        headers: [RecordHeader(name: "trace", value: Array("t-1".utf8))])

    @Test("HeaderFrom$Value copy: each field's value becomes a header after the record's own; the value is kept")
    func headerFromCopy() throws {
        let out = try run(
            chain(
                "org.apache.kafka.connect.transforms.HeaderFrom$Value",
                ["fields": "id,source,total,tags", "headers": "h-id,h-source,h-total,h-tags", "operation": "copy"]),
            order)
        #expect(out?.value == order.value)
        #expect(
            out?.headers == [
                header("trace", "t-1"), header("h-id", "7"), header("h-source", "web"), header("h-total", "2.5"),
                header("h-tags", #"["a"]"#),
            ])
    }

    @Test("HeaderFrom$Value move: the fields leave the value; a missing field gives a null header")
    func headerFromMove() throws {
        let out = try run(
            chain("HeaderFrom$Value", ["fields": "source,missing", "headers": "origin,gone", "operation": "move"]),
            order)
        #expect(out?.value == object(["id": .int(7), "total": .double(2.5), "tags": .array([.string("a")])]))
        #expect(out?.headers == [header("trace", "t-1"), header("origin", "web"), header("gone", nil)])
    }

    @Test("HeaderFrom$Key reads the key; a value that is not an object, or null, fails the record")
    func headerFromKeyAndRefusals() throws {
        let out = try run(chain("HeaderFrom$Key", ["fields": "id", "headers": "key-id", "operation": "copy"]), order)
        #expect(out?.headers.last == header("key-id", "7"))
        #expect(out?.key == order.key)
        let copy = try chain("HeaderFrom$Value", ["fields": "id", "headers": "h", "operation": "copy"])
        var text = ConnectRecord(topic: "t", key: .null, value: .string("plain"))
        #expect(throws: ConversionError.self) { try copy.apply(&text) }
        #expect(text.value == .string("plain"))
        var tombstone = ConnectRecord(topic: "t", key: .null, value: .null)
        #expect(throws: ConversionError.self) { try copy.apply(&tombstone) }
    }

    @Test("InsertHeader adds its literal as UTF-8 after the record's headers, even under a name already there")
    func insertHeader() throws {
        let add = try chain(
            "org.apache.kafka.connect.transforms.InsertHeader", ["header": "trace", "value.literal": "from-sluice"])
        let out = try run(add, order)
        #expect(out?.headers == [header("trace", "t-1"), header("trace", "from-sluice")])
        #expect(out?.value == order.value)
        let bare = try run(add, ConnectRecord(topic: "t", key: .null, value: .null))
        #expect(bare?.headers == [header("trace", "from-sluice")])
    }

    @Test("DropHeaders removes every header with a listed name and keeps the others in order")
    func dropHeaders() throws {
        var record = order
        record.headers = [
            header("a", "1"), header("trace", "x"), header("b", nil), header("trace", "y"), header("c", "3"),
        ]
        let out = try run(chain("DropHeaders", ["headers": "trace, b"]), record)
        #expect(out?.headers == [header("a", "1"), header("c", "3")])
        #expect(
            try run(chain("DropHeaders", ["headers": "trace"]), ConnectRecord(topic: "t", key: .null, value: .null))?
                .headers == [])
    }

    @Test("HasHeaderKey as a Filter's predicate and as a step's predicate")
    func hasHeaderKey() throws {
        let config = [
            "transforms": "keepTraced,mark", "predicates": "traced",
            "predicates.traced.type": "org.apache.kafka.connect.transforms.predicates.HasHeaderKey",
            "predicates.traced.name": "trace",
            "transforms.keepTraced.type": "Filter", "transforms.keepTraced.predicate": "traced",
            "transforms.keepTraced.negate": "true",
            "transforms.mark.type": "InsertHeader", "transforms.mark.header": "seen",
            "transforms.mark.value.literal": "1",
            "transforms.mark.predicate": "traced",
        ]
        let filter = try TransformChain(config: config)
        let untraced = ConnectRecord(topic: "t", key: .null, value: .string("x"), headers: [header("other", "v")])
        #expect(try run(filter, untraced) == nil, "a record without the header is dropped")
        let out = try run(filter, order)
        #expect(out?.headers == [header("trace", "t-1"), header("seen", "1")])
        #expect(
            HasHeaderKey(name: "trace").test(
                ConnectRecord(topic: "t", key: .null, value: .null, headers: [header("trace", nil)])))
        #expect(!HasHeaderKey(name: "trace").test(ConnectRecord(topic: "t", key: .null, value: .null)))
    }

    @Test(
        "bad settings are configuration errors naming the setting",
        arguments: [
            ("HeaderFrom$Value", ["headers": "h", "operation": "copy"], "fields"),
            ("HeaderFrom$Value", ["fields": "a", "operation": "copy"], "headers"),
            ("HeaderFrom$Value", ["fields": "a,b", "headers": "h", "operation": "copy"], "headers"),
            ("HeaderFrom$Value", ["fields": "a", "headers": "h"], "operation"),
            ("HeaderFrom$Key", ["fields": "a", "headers": "h", "operation": "steal"], "operation"),
            ("InsertHeader", ["value.literal": "v"], "header"),
            ("InsertHeader", ["header": "h"], "value.literal"),
            ("DropHeaders", [:], "headers"),
            ("DropHeaders", ["headers": " , "], "headers"),
        ])
    func badSettings(type: String, settings: [String: String], setting: String) {
        #expect(isRefused(type, settings, naming: setting))
    }

    @Test("HasHeaderKey without a name is a configuration error")
    func hasHeaderKeyNeedsName() {
        #expect(throws: RuntimeError.self) {
            try TransformChain(config: ["predicates": "p", "predicates.p.type": "HasHeaderKey"])
        }
    }
}
