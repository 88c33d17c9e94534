import SluiceCore
@testable import SluiceRuntime
import Testing

/// The splice route must write exactly what the tree route writes, for every record
/// it accepts, and must accept the plain records it exists for.
@Suite("Splice route")
struct SpliceRouteTests {
    static let chains: [[String: String]] = [
        [:],
        ["transforms": "i", "transforms.i.type": "org.apache.kafka.connect.transforms.InsertField$Value",
         "transforms.i.topic.field": "topic", "transforms.i.partition.field": "p", "transforms.i.timestamp.field": "seq",
         "transforms.i.static.field": "dc", "transforms.i.static.value": "eu \"1\""],
        ["transforms": "r,i", "transforms.r.type": "ReplaceField$Value", "transforms.r.exclude": "b",
         "transforms.r.renames": "a:alpha,seq:sequence", "transforms.i.type": "InsertField$Value", "transforms.i.topic.field": "a",
         "transforms.i.predicate": "logs", "predicates": "logs", "predicates.logs.type": "TopicNameMatches",
         "predicates.logs.pattern": "lo.*"],
        ["transforms": "k,route", "transforms.k.type": "ReplaceField$Value", "transforms.k.include": "a,seq,nested",
         "transforms.route.type": "RegexRouter", "transforms.route.regex": "(.*)", "transforms.route.replacement": "$1-out"],
        // Filter and a negated step predicate; a field name that is canonically "K" (U+212A KELVIN SIGN).
        // "logs" records are dropped; the others get the field (a negated step predicate).
        ["transforms": "drop,i", "transforms.drop.type": "Filter", "transforms.drop.predicate": "logs",
         "transforms.i.type": "InsertField$Value", "transforms.i.static.field": "\u{212A}",
         "transforms.i.static.value": "kelvin", "transforms.i.predicate": "logs", "transforms.i.negate": "true",
         "predicates": "logs", "predicates.logs.type": "TopicNameMatches", "predicates.logs.pattern": "lo.*"],
    ]

    /// The tree route: parse, apply, write (what the processor does without splicing).
    func viaTree(_ text: [UInt8], _ chain: TransformChain, topic: String) throws -> (String, String)? {
        let value = try text.withUnsafeBytes { try JSONText.parse($0) }
        var record = ConnectRecord(topic: topic, partition: 3, key: .null, value: value, timestampMs: 1234)
        guard try chain.apply(&record) else { return nil }
        var out: [UInt8] = []
        _ = try JsonConverter(schemasEnabled: false).write(record.value, into: &out)
        return (record.topic, String(decoding: out, as: UTF8.self))
    }

    /// The splice route, or `.declined` when the scanner leaves the text to the tree route.
    enum Spliced: Equatable { case declined, dropped, written(String, String) }

    func viaSplice(_ text: [UInt8], _ chain: TransformChain, topic: String) throws -> Spliced {
        try text.withUnsafeBytes { bytes in
            var fields: [SplicedField] = []
            guard JSONFieldScanner.scan(bytes, into: &fields) else { return .declined }
            var record = SplicedRecord(
                meta: ConnectRecord(topic: topic, partition: 3, key: .null, value: .null, timestampMs: 1234), text: bytes, fields: fields)
            guard try chain.splice(&record) else { return .dropped }
            var out: [UInt8] = []
            record.write(into: &out)
            return .written(record.meta.topic, String(decoding: out, as: UTF8.self))
        }
    }

    @Test("plain records are accepted and written byte for byte as the tree route writes them")
    func acceptedAndEqual() throws {
        let plain = [
            #"{"task":3,"seq":123456,"payload":"lorem ipsum dolor sit amet"}"#,
            #"{ "a" : 1 , "b":-9223372036854775808, "seq":0 }"#,
            #"{"a":"x","a":"dup","nested":{"k":[1,2,{"z":null}],"e":{},"l":[]},"t":true,"f":false}"#,
            #"{}"#, "\t{\n\"a\":\"\"\n}\n", #"{"K":1,"k":2}"#, "{\"del\":\"a\u{7F}b\"}",
            #"{"long":"abcdefghijklmnopqrstuvwxyz0123456789 ~!@#$%^&*()_+`-={}|[]:;'<>?,./","seq":9223372036854775807}"#,
        ]
        for chainConfig in Self.chains {
            let chain = try TransformChain(config: chainConfig)
            #expect(chain.canSplice)
            for topic in ["logs", "orders"] {
                for text in plain {
                    let bytes = Array(text.utf8)
                    let tree = try viaTree(bytes, chain, topic: topic)
                    let splice = try viaSplice(bytes, chain, topic: topic)
                    #expect(splice != .declined, "\(text) must take the splice route")
                    #expect(splice == (tree.map { .written($0.0, $0.1) } ?? .dropped), "\(text) with \(chainConfig)")
                }
            }
        }
    }

    @Test("text the tree route would rewrite or refuse is left to it")
    func declined() throws {
        let rewritten = [
            #"{"n":1.5}"#, #"{"n":1e3}"#, #"{"n":-0}"#, #"{"n":007}"#, #"{"n":9223372036854775808}"#,
            #"{"s":"caf\u00e9"}"#, #"{"s":"é"}"#, #"{"s":"a\"b"}"#, #"{"s\n":1}"#, #"{"o":{ "a":1}}"#, #"{"l":[1, 2]}"#,
            #"["not","an","object"]"#, #""text""#, "null", "", "   ",
            #"{"a":1"#, #"{"a":1,}"#, #"{"a" 1}"#, #"{"a":tru}"#, #"{"a":truex}"#, #"{"a":1} x"#, #"{"a":"unterminated}"#,
            #"{"a":[1,]}"#, #"{"a":{"b":}}"#, "{\"c\":\"\u{01}\"}", #"{"a":-}"#, #"{"a":12abc}"#,
            String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
        ]
        for text in rewritten {
            let bytes = Array(text.utf8)
            var fields: [SplicedField] = []
            let accepted = bytes.withUnsafeBytes { JSONFieldScanner.scan($0, into: &fields) }
            #expect(!accepted, "\(text.prefix(40)) must go the tree route")
        }
        let deep = "{\"a\":" + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}"
        var fields: [SplicedField] = []
        #expect(!Array(deep.utf8).withUnsafeBytes { JSONFieldScanner.scan($0, into: &fields) })
    }

    @Test("random documents: whenever the scanner accepts, both routes write the same bytes")
    func randomDocuments() throws {
        var generator = SystemRandomNumberGenerator()
        let chain = try TransformChain(config: Self.chains[2])
        var accepted = 0
        for _ in 0..<3000 {
            let value = ConnectValue.object((0..<Int.random(in: 0...5, using: &generator)).map { _ in
                ConnectField(randomName(&generator), randomValue(depth: 0, &generator))
            })
            var text: [UInt8] = []
            JSONText.write(value, into: &text)
            if Bool.random(using: &generator) { text = sprinkleSpaces(text, &generator) }
            guard let tree = try? viaTree(text, chain, topic: "logs") else { continue }
            let splice = try viaSplice(text, chain, topic: "logs")
            if splice == .declined { continue }
            accepted += 1
            #expect(splice == .written(tree.0, tree.1), "\(String(decoding: text, as: UTF8.self))")
        }
        #expect(accepted > 300, "the generator must produce splice-able documents too")
    }

    @Test("mutated text: whatever the scanner accepts, the tree route parses and writes the same bytes", arguments: [0, 1, 2, 3, 4])
    func mutatedDocuments(chainIndex: Int) throws {
        var generator = SystemRandomNumberGenerator()
        let chain = try TransformChain(config: Self.chains[chainIndex])
        let alphabet = Array(#"{}[]:,"\ -+.eE0123456789aetrufnlsx"#.utf8) + [0x7F, 0x80, 0xC3, 0xA9, 0x00, 0x0A]
        var accepted = 0
        for _ in 0..<4000 {
            let value = ConnectValue.object((0..<Int.random(in: 1...4, using: &generator)).map { _ in
                ConnectField(randomName(&generator), randomValue(depth: 1, &generator))
            })
            var text: [UInt8] = []
            JSONText.write(value, into: &text)
            for _ in 0..<Int.random(in: 1...3, using: &generator) where !text.isEmpty {
                let at = Int.random(in: 0..<text.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: text[at] = alphabet.randomElement(using: &generator)!
                case 1: text.insert(alphabet.randomElement(using: &generator)!, at: at)
                default: text.remove(at: at)
                }
            }
            let splice = try viaSplice(text, chain, topic: "orders")
            guard splice != .declined else { continue }
            accepted += 1
            let tree = try? viaTree(text, chain, topic: "orders")
            #expect(tree != nil, "the scanner accepted text the tree route refuses: \(String(decoding: text, as: UTF8.self))")
            if let tree { #expect(splice == .written(tree.0, tree.1), "\(String(decoding: text, as: UTF8.self))") }
        }
        #expect(accepted > 100, "some mutated documents must still be accepted")
    }

    @Test("the processor splices datagen-shaped JSON and keeps the tree route for schemas")
    func processorRoute() throws {
        let pool = BatchPool(batchCount: 4, arenaBytes: 1 << 16, maxRecords: 512)
        let input = try #require(pool.tryAcquire())
        for index in 0..<100 {
            let value = Array(#"{"task":0,"seq":\#(index),"payload":"abc"}"#.utf8)
            _ = try value.withUnsafeBytes { try input.append(key: nil, value: $0, headers: [], timestampMs: 0, partition: -1) }
        }
        func run(_ config: [String: String]) throws -> (SourceRecordProcessor, [String]) {
            let processor = try SourceRecordProcessor(topic: "t", format: .json, config: config)
            var values: [String] = []
            try processor.process(input, acquire: { pool.tryAcquire() }, emit: { batch in
                for i in 0..<batch.count { values.append(String(decoding: batch[i].value!, as: UTF8.self)) }
                pool.release(batch)
            })
            return (processor, values)
        }
        var config = Self.chains[1].merging(["value.converter": "JsonConverter", "value.converter.schemas.enable": "false"]) { $1 }
        let (spliced, values) = try run(config)
        #expect(spliced.splices)
        #expect(spliced.spliced == 100)
        #expect(values.count == 100)
        // InsertField's timestamp.field "seq" replaces the record's own seq (timestamp 0 here).
        #expect(values.first == #"{"task":0,"payload":"abc","topic":"t","p":null,"seq":0,"dc":"eu \"1\""}"#)
        config["value.converter.schemas.enable"] = "true"
        let (tree, _) = try run(config)
        #expect(!tree.splices)
        #expect(tree.spliced == 0)
    }

    func randomName(_ generator: inout SystemRandomNumberGenerator) -> String {
        ["a", "b", "seq", "nested", "x y", "é", "q\"", "long_field_name_here", "topic"].randomElement(using: &generator)!
    }

    func randomValue(depth: Int, _ generator: inout SystemRandomNumberGenerator) -> ConnectValue {
        switch Int.random(in: 0..<(depth > 2 ? 6 : 8), using: &generator) {
        case 0: return .null
        case 1: return .boolean(Bool.random(using: &generator))
        case 2: return .int(Int64.random(in: Int64.min...Int64.max, using: &generator) >> Int64.random(in: 0...63, using: &generator))
        case 3: return .double(Double.random(in: -1e6...1e6, using: &generator))
        case 4: return .string(["", "plain", "with space", "tab\tin", "quote\"", "caf\u{e9}", "ctl\u{1}"].randomElement(using: &generator)!)
        case 5: return .int(Int64.random(in: -5...5, using: &generator))
        case 6: return .array((0..<Int.random(in: 0...3, using: &generator)).map { _ in randomValue(depth: depth + 1, &generator) })
        default:
            return .object((0..<Int.random(in: 0...3, using: &generator)).map { _ in
                ConnectField(randomName(&generator), randomValue(depth: depth + 1, &generator))
            })
        }
    }

    /// Inserts whitespace after some structural bytes outside strings.
    func sprinkleSpaces(_ text: [UInt8], _ generator: inout SystemRandomNumberGenerator) -> [UInt8] {
        var out: [UInt8] = []
        var inString = false
        var escaped = false
        for byte in text {
            out.append(byte)
            if inString {
                if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                continue
            }
            if byte == 0x22 { inString = true; continue }
            if [0x7B, 0x2C, 0x3A, 0x5B].contains(byte), Bool.random(using: &generator) { out.append(0x20) }
        }
        return out
    }
}
