import SluiceCore
import Testing

@testable import SluiceRuntime

/// Records on the converted source path carry their headers through the transforms to
/// the output batch, on the tree route and on the splice route.
@Suite("Record headers on the source path")
struct RecordHeadersPathTests {
    func header(_ name: String, _ text: String?) -> RecordHeader {
        RecordHeader(name: name, value: text.map { Array($0.utf8) })
    }

    @Test("InsertHeader and DropHeaders change the headers the output batch gets; records keep their own")
    func transformedHeaders() throws {
        let config = [
            "transforms": "add,drop",
            "transforms.add.type": "org.apache.kafka.connect.transforms.InsertHeader",
            "transforms.add.header": "stage", "transforms.add.value.literal": "source",
            "transforms.drop.type": "org.apache.kafka.connect.transforms.DropHeaders",
            "transforms.drop.headers": "debug",
        ]
        let (outputs, _) = try SourcePathHarness.run(
            [
                ("a", [header("origin", "db"), header("debug", "1")]),
                ("b", []),
            ], config: config)
        #expect(
            outputs == [
                .init(topic: nil, value: "a", headers: [header("origin", "db"), header("stage", "source")]),
                .init(topic: nil, value: "b", headers: [header("stage", "source")]),
            ])
    }

    @Test("a converter without transforms passes the task's headers on unchanged, null values included")
    func convertedOnly() throws {
        let config = [
            "value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "false",
        ]
        let headers = [header("a", "1"), header("nothing", nil), header("a", "2")]
        let (outputs, _) = try SourcePathHarness.run([("x", headers)], config: config)
        #expect(outputs == [.init(topic: nil, value: #""x""#, headers: headers)])
    }

    @Test("HeaderFrom moves a JSON field into a header; HasHeaderKey routes by header")
    func headerFromAndPredicate() throws {
        let config = [
            "value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "false",
            "transforms": "h,route", "transforms.h.type": "HeaderFrom$Value", "transforms.h.fields": "tenant",
            "transforms.h.headers": "tenant", "transforms.h.operation": "move",
            "transforms.route.type": "RegexRouter", "transforms.route.regex": "(.*)",
            "transforms.route.replacement": "$1-urgent", "transforms.route.predicate": "urgent",
            "predicates": "urgent", "predicates.urgent.type": "HasHeaderKey", "predicates.urgent.name": "urgent",
        ]
        let (outputs, _) = try SourcePathHarness.run(
            [
                (#"{"tenant":"acme","n":1}"#, [header("urgent", nil)]),
                (#"{"tenant":"zeta","n":2}"#, []),
            ], config: config, format: .json)
        #expect(
            outputs == [
                .init(
                    topic: "lines-urgent", value: #"{"n":1}"#,
                    headers: [header("urgent", nil), header("tenant", "acme")]),
                .init(topic: nil, value: #"{"n":2}"#, headers: [header("tenant", "zeta")]),
            ])
    }

    @Test("records on the splice route keep their headers")
    func spliceRoute() throws {
        let config = [
            "value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "false",
            "transforms": "i", "transforms.i.type": "InsertField$Value", "transforms.i.static.field": "dc",
            "transforms.i.static.value": "eu",
        ]
        let headers = [header("trace", "t-9")]
        let (outputs, processor) = try SourcePathHarness.run(
            [(#"{"n":1}"#, headers), (#"{"n":2}"#, [])], config: config, format: .json)
        #expect(processor.splices)
        #expect(processor.spliced == 2, "both records took the splice route")
        #expect(
            outputs == [
                .init(topic: nil, value: #"{"n":1,"dc":"eu"}"#, headers: headers),
                .init(topic: nil, value: #"{"n":2,"dc":"eu"}"#, headers: []),
            ])
    }

    @Test("InsertField's offset.field fails source records, as Kafka's does; tolerated, they are skipped")
    func offsetFieldOnSource() throws {
        var config = [
            "value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "false",
            "transforms": "i", "transforms.i.type": "InsertField$Value", "transforms.i.offset.field": "offset",
        ]
        #expect(throws: ConversionError.self) {
            try SourcePathHarness.run([(#"{"n":1}"#, [])], config: config, format: .json)
        }
        config["errors.tolerance"] = "all"
        let (outputs, processor) = try SourcePathHarness.run([(#"{"n":1}"#, [])], config: config, format: .json)
        #expect(outputs.isEmpty, "\(outputs)")
        #expect(processor.errors.recordsSkipped.load(ordering: .relaxed) == 1)
        #expect(processor.spliced == 0, "offset.field keeps records off the splice route")
    }
}
