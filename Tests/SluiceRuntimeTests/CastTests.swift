import SluiceRuntime
import Testing

@Suite("Cast")
struct CastTests {
    let order = ConnectRecord(
        topic: "orders", key: .string("17"),
        value: object(["id": .string("42"), "price": .int(3), "paid": .int(1), "note": .string("x"), "gone": .null]))

    @Test("fields are cast to the types of the spec; others are kept")
    func fields() throws {
        let out = try run(
            chain(
                "org.apache.kafka.connect.transforms.Cast$Value",
                ["spec": "id:int32, price:float64,paid:boolean,gone:int8"]), order)
        #expect(
            out?.value
                == object([
                    "id": .int(42), "price": .double(3), "paid": .boolean(true), "note": .string("x"), "gone": .null,
                ]))
    }

    @Test("the whole key or value is cast with a spec of one type")
    func whole() throws {
        let out = try run(chain("org.apache.kafka.connect.transforms.Cast$Key", ["spec": "INT64"]), order)
        #expect(out?.key == .int(17))
        #expect(out?.value == order.value)
        let text = ConnectRecord(topic: "t", key: .null, value: .double(2.5))
        #expect(try run(chain("Cast$Value", ["spec": "string"]), text)?.value == .string("2.5"))
    }

    @Test(
        "conversions as Kafka Connect makes them",
        arguments: [
            (CastType.int8, ConnectValue.int(300), ConnectValue.int(44)),
            (.int16, .int(-40000), .int(25536)),
            (.int32, .double(-7.9), .int(-7)),
            (.int32, .double(1e20), .int(Int64(Int32.max))),
            (.int64, .double(.nan), .int(0)),
            (.int64, .boolean(true), .int(1)),
            (.float32, .double(0.1), .double(Double(Float(0.1)))),
            (.float64, .string("1.5e3"), .double(1500)),
            (.boolean, .string("TRUE"), .boolean(true)),
            (.boolean, .string("yes"), .boolean(false)),
            (.boolean, .double(0), .boolean(false)),
            (.string, .int(-5), .string("-5")),
            (.string, .boolean(false), .string("false")),
            (.string, .bytes([1, 2, 3]), .string("AQID")),
            (.int8, .null, .null),
        ])
    func conversions(type: CastType, input: ConnectValue, expected: ConnectValue) throws {
        #expect(try type.cast(input) == expected)
    }

    @Test("text that does not read as the type, arrays and objects are refused; the record keeps its value")
    func refused() throws {
        #expect(throws: ConversionError.self) { try CastType.int8.cast(.string("300")) }
        #expect(throws: ConversionError.self) { try CastType.int32.cast(.string("4.5")) }
        #expect(throws: ConversionError.self) { try CastType.string.cast(.array([])) }
        var copy = order
        #expect(throws: ConversionError.self) {
            try chain("Cast$Value", ["spec": "price:int32,note:int32"]).apply(&copy)
        }
        #expect(copy == order)
        var text = ConnectRecord(topic: "t", key: .null, value: .string("a"))
        #expect(throws: ConversionError.self) { try chain("Cast$Value", ["spec": "a:int32"]).apply(&text) }
    }

    @Test(
        "a bad spec is refused at create time, naming the setting",
        arguments: ["", "id:int", "id:", ":int32", "id:int32,,", "id:int32,float64", "integer"])
    func badSpec(spec: String) {
        let error = configError("Cast$Value", ["spec": spec])
        #expect(error?.description.contains("'transforms.t.spec'") == true, "\(String(describing: error))")
    }

    @Test("a spec reads into whole-value and field casts")
    func parse() throws {
        #expect(try Cast.parseSpec(" float32 ") == .whole(.float32))
        #expect(try Cast.parseSpec("a:int8,b:STRING") == .fields(["a": .int8, "b": .string]))
    }

    @Test("validating a connector reports a bad spec with its key and message, as the REST API's 400 does")
    func validation() throws {
        let settings = [
            "name": "v", "connector.class": "numbers", "topic": "t",
            "transforms": "c", "transforms.c.type": "org.apache.kafka.connect.transforms.Cast$Value",
            "transforms.c.spec": "id:int",
        ]
        let problems = try ConnectorValidation.check(settings, registry: .testing).problems
        #expect(problems.map(\.name) == ["transforms.c.spec"], "\(problems)")
        #expect(problems.first?.message.contains("unknown type 'int'") == true, "\(problems)")
    }
}
