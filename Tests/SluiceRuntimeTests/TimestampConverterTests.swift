import Testing

@testable import SluiceRuntime

/// Kafka Connect's `TimestampConverter$Key`/`$Value`, with Sluice's representation of
/// Connect's `Date`, `Time` and `Timestamp` (the numbers Kafka's `JsonConverter` writes).
@Suite("TimestampConverter")
struct TimestampConverterTests {
    /// 2024-02-29T13:05:09.042Z.
    let leapDay: Int64 = 1_709_211_909_042
    /// Its day since the epoch and its milliseconds since midnight.
    let leapDayNumber: Int64 = 19_782
    let leapDayTime: Int64 = 47_109_042

    func convert(_ value: ConnectValue, _ settings: [String: String], part: String = "Value") throws -> ConnectValue? {
        try run(
            chain("org.apache.kafka.connect.transforms.TimestampConverter$\(part)", settings),
            ConnectRecord(topic: "t", key: part == "Key" ? value : .null, value: part == "Key" ? .null : value)
        )
        .map { part == "Key" ? $0.key : $0.value }
    }

    @Test(
        "a whole value in Unix milliseconds to each target type",
        arguments: [
            ("string", ConnectValue.string("2024-02-29T13:05:09.042")),
            ("unix", .int(1_709_211_909_042)),
            ("Timestamp", .int(1_709_211_909_042)),
            ("Date", .int(19_782)),
            ("Time", .int(47_109_042)),
        ])
    func targets(target: String, expected: ConnectValue) throws {
        #expect(
            try convert(.int(leapDay), ["target.type": target, "format": "yyyy-MM-dd'T'HH:mm:ss.SSS"]) == expected)
    }

    @Test(
        "unix.precision reads and writes Unix time in its unit, truncating as Java's TimeUnit",
        arguments: [
            ("seconds", Int64(1_709_211_909)), ("milliseconds", 1_709_211_909_042),
            ("microseconds", 1_709_211_909_042_000), ("nanoseconds", 1_709_211_909_042_000_000),
        ])
    func precision(unit: String, units: Int64) throws {
        let written = try convert(
            .string("2024-02-29T13:05:09.042"),
            ["target.type": "unix", "unix.precision": unit, "format": "yyyy-MM-dd'T'HH:mm:ss.SSS"])
        #expect(written == .int(units))
        let read = try convert(.int(units), ["target.type": "Timestamp", "unix.precision": unit])
        #expect(read == .int(unit == "seconds" ? 1_709_211_909_000 : leapDay))
    }

    @Test("a string field is parsed with format, in UTC, and the object keeps its field order")
    func stringField() throws {
        let value = object(["id": .int(1), "created": .string("2024-02-29 13:05:09"), "note": .string("x")])
        let out = try convert(
            value,
            ["field": "created", "target.type": "unix", "format": "yyyy-MM-dd HH:mm:ss", "unix.precision": "seconds"])
        #expect(out == object(["id": .int(1), "created": .int(1_709_211_909), "note": .string("x")]))
    }

    @Test(
        "parsing follows SimpleDateFormat: abutting fields by width, lenient ranges, yy in the century from 80 years ago",
        arguments: [
            ("yyyyMMddHHmmss", "20240229130509", Int64(1_709_211_909_000)),
            ("yyyy-MM-dd", "2024-13-31", 1_738_281_600_000),
            ("yy-MM-dd", "99-12-31", 946_598_400_000),
            ("yy-MM-dd'T'HH:mm:ss.SSS", "24-02-29T13:05:09.042", 1_709_211_909_042),
            ("yyyy-M-d", "1970-1-1 and more", 0),
        ])
    func parsing(pattern: String, text: String, millis: Int64) throws {
        #expect(try convert(.string(text), ["target.type": "Timestamp", "format": pattern]) == .int(millis))
    }

    @Test("before the epoch: Date and Time round down to the day, as Calendar does")
    func beforeEpoch() throws {
        #expect(try convert(.int(-500), ["target.type": "Date"]) == .int(-1))
        #expect(try convert(.int(-500), ["target.type": "Time"]) == .int(86_399_500))
        #expect(
            try convert(.int(-500), ["target.type": "string", "format": "yyyy-MM-dd HH:mm:ss.SSS"])
                == .string("1969-12-31 23:59:59.500"))
    }

    @Test("a whole value gets Connect's logical type, which JsonConverter writes and the next converter reads back")
    func logicalTypes() throws {
        let toDate = try chain("TimestampConverter$Value", ["target.type": "Date"])
        var record = ConnectRecord(topic: "t", key: .null, value: .int(leapDay))
        #expect(try toDate.apply(&record))
        #expect(record.value == .int(leapDayNumber))
        #expect(record.valueSchema == .date)
        var envelope: [UInt8] = []
        _ = try JsonConverter().write(record.value, schema: record.valueSchema, into: &envelope)
        #expect(
            String(decoding: envelope, as: UTF8.self)
                == #"{"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1},"payload":19782}"#
        )
        // Read back as a Date (days), not as Unix milliseconds.
        #expect(
            try chain("TimestampConverter$Value", ["target.type": "string", "format": "yyyy-MM-dd"]).apply(&record))
        #expect(record.value == .string("2024-02-29"))
        #expect(record.valueSchema == nil, "text has no logical type")

        var time = ConnectRecord(topic: "t", key: .null, value: .int(leapDay))
        #expect(try chain("TimestampConverter$Value", ["target.type": "Timestamp"]).apply(&time))
        envelope.removeAll()
        _ = try JsonConverter().write(time.value, schema: time.valueSchema, into: &envelope)
        #expect(
            String(decoding: envelope, as: UTF8.self)
                == #"{"schema":{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1},"payload":1709211909042}"#
        )
    }

    @Test("a Date written by JsonConverter with schemas is read back as a Date on the sink path")
    func dateRoundTrip() throws {
        let envelope =
            #"{"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1},"payload":19782}"#
        let (value, schema) = try Array(envelope.utf8).withUnsafeBytes { try JsonConverter().toValueAndSchema($0) }
        var record = ConnectRecord(topic: "t", key: .null, value: value)
        record.valueSchema = schema
        #expect(
            try chain("TimestampConverter$Value", ["target.type": "string", "format": "yyyy-MM-dd"]).apply(&record))
        #expect(record.value == .string("2024-02-29"))
    }

    @Test("$Key converts the key; null stays null; a missing field becomes a null field")
    func keyAndNulls() throws {
        #expect(try convert(.int(leapDay), ["target.type": "Date"], part: "Key") == .int(leapDayNumber))
        #expect(try convert(.null, ["target.type": "Date"]) == .null)
        #expect(try convert(.null, ["field": "at", "target.type": "Date"]) == .null)
        #expect(
            try convert(object(["a": .int(1)]), ["field": "at", "target.type": "Date"])
                == object(["a": .int(1), "at": .null]))
    }

    @Test("a value it cannot read fails the record and leaves it as it was")
    func refusals() throws {
        let toDate = try chain(
            "TimestampConverter$Value", ["field": "at", "target.type": "Date", "format": "yyyy-MM-dd"])
        for bad in [object(["at": .string("yesterday")]), object(["at": .double(1.5)]), object(["at": .boolean(true)])]
        {
            var record = ConnectRecord(topic: "t", key: .null, value: bad)
            #expect(throws: ConversionError.self) { try toDate.apply(&record) }
            #expect(record.value == bad)
        }
        var noFormat = ConnectRecord(topic: "t", key: .null, value: .string("2024-01-01"))
        #expect(throws: ConversionError.self) {
            try chain("TimestampConverter$Value", ["target.type": "unix"]).apply(&noFormat)
        }
        var notObject = ConnectRecord(topic: "t", key: .null, value: .int(1))
        #expect(throws: ConversionError.self) { try toDate.apply(&notObject) }
    }

    @Test(
        "bad settings are configuration errors naming the setting",
        arguments: [
            ([String: String](), "target.type"),
            (["target.type": "date"], "target.type"),
            (["target.type": "string"], "format"),
            (["target.type": "string", "format": "EEE yyyy"], "format"),
            (["target.type": "unix", "unix.precision": "minutes"], "unix.precision"),
        ])
    func badSettings(settings: [String: String], setting: String) {
        #expect(isRefused("TimestampConverter$Value", settings, naming: setting))
    }
}
