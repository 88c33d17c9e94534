import SluiceRuntime
import Testing

@Suite("Flatten")
struct FlattenTests {
    let nested = ConnectRecord(
        topic: "t", key: object(["id": object(["shard": .int(1), "seq": .int(2)])]),
        value: object([
            "name": .string("ada"),
            "address": object(["city": .string("x"), "geo": object(["lat": .double(1.5), "lon": .null])]),
            "tags": .array([object(["a": .int(1)])]),
            "empty": .object([]),
        ]))

    @Test("$Value joins nested names with '.'; arrays stay as they are and an empty object leaves nothing")
    func value() throws {
        let out = try run(chain("org.apache.kafka.connect.transforms.Flatten$Value"), nested)
        #expect(
            out?.value
                == object([
                    "name": .string("ada"), "address.city": .string("x"), "address.geo.lat": .double(1.5),
                    "address.geo.lon": .null,
                    "tags": .array([object(["a": .int(1)])]),
                ]))
        #expect(out?.key == nested.key)
    }

    @Test("$Key with another delimiter")
    func key() throws {
        let out = try run(chain("org.apache.kafka.connect.transforms.Flatten$Key", ["delimiter": "_"]), nested)
        #expect(out?.key == object(["id_shard": .int(1), "id_seq": .int(2)]))
    }

    @Test("a flat object and a tombstone pass unchanged; a scalar is refused and kept")
    func unchangedAndRefused() throws {
        let flat = ConnectRecord(topic: "t", key: .null, value: object(["a": .int(1)]))
        #expect(try run(chain("Flatten$Value"), flat) == flat)
        let tombstone = ConnectRecord(topic: "t", key: .null, value: .null)
        #expect(try run(chain("Flatten$Value"), tombstone) == tombstone)
        var scalar = ConnectRecord(topic: "t", key: .null, value: .int(3))
        #expect(throws: ConversionError.self) { try chain("Flatten$Value").apply(&scalar) }
        #expect(scalar.value == .int(3))
    }
}
