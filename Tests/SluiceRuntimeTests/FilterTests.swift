import SluiceRuntime
import Testing

@Suite("Filter and RecordIsTombstone")
struct FilterTests {
    let tombstone = ConnectRecord(topic: "users", key: .string("7"), value: .null)
    let update = ConnectRecord(topic: "users", key: .string("7"), value: object(["name": .string("ada")]))

    @Test("Filter without a predicate drops every record")
    func dropsAll() throws {
        let filter = try chain("org.apache.kafka.connect.transforms.Filter")
        #expect(try run(filter, update) == nil)
        #expect(try run(filter, tombstone) == nil)
    }

    @Test("RecordIsTombstone matches a null value only")
    func tombstonePredicate() {
        #expect(RecordIsTombstone().test(tombstone))
        #expect(!RecordIsTombstone().test(update))
        #expect(!RecordIsTombstone().test(ConnectRecord(topic: "t", key: .null, value: .string(""))))
    }

    @Test("Filter with RecordIsTombstone drops tombstones; negate keeps only them")
    func filterTombstones() throws {
        var config = [
            "transforms": "drop", "transforms.drop.type": "org.apache.kafka.connect.transforms.Filter",
            "transforms.drop.predicate": "isTombstone",
            "predicates": "isTombstone",
            "predicates.isTombstone.type": "org.apache.kafka.connect.transforms.predicates.RecordIsTombstone",
        ]
        #expect(try run(TransformChain(config: config), tombstone) == nil)
        #expect(try run(TransformChain(config: config), update) == update)
        config["transforms.drop.negate"] = "true"
        #expect(try run(TransformChain(config: config), tombstone) == tombstone)
        #expect(try run(TransformChain(config: config), update) == nil)
    }

    @Test("RecordIsTombstone as the predicate of another transform")
    func guardsATransform() throws {
        let config = [
            "transforms": "k", "transforms.k.type": "ValueToKey", "transforms.k.fields": "name",
            "transforms.k.predicate": "isTombstone", "transforms.k.negate": "true",
            "predicates": "isTombstone", "predicates.isTombstone.type": "RecordIsTombstone",
        ]
        #expect(
            try run(TransformChain(config: config), tombstone) == tombstone,
            "a tombstone skips ValueToKey instead of failing it")
        #expect(try run(TransformChain(config: config), update)?.key == object(["name": .string("ada")]))
    }

    @Test("a Filter naming an unknown predicate is refused")
    func unknownPredicate() {
        #expect(
            configError("Filter", ["predicate": "nope"])
                == .invalidConfig(
                    name: "transforms.t.predicate", value: "nope", reason: "no such predicate under predicates"))
    }
}
