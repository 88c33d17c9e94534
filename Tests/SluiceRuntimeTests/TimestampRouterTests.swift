import Testing

@testable import SluiceRuntime

@Suite("TimestampRouter")
struct TimestampRouterTests {
    /// 2024-02-29T13:05:09.042Z.
    let leapDay: Int64 = 1_709_211_909_042

    @Test("by default the topic becomes ${topic}-yyyyMMdd of the record's UTC timestamp")
    func defaults() throws {
        let record = ConnectRecord(topic: "events", key: .null, value: .string("x"), timestampMs: leapDay)
        let out = try run(chain("org.apache.kafka.connect.transforms.TimestampRouter"), record)
        #expect(out?.topic == "events-20240229")
        #expect(out?.value == record.value)
    }

    @Test("topic.format and timestamp.format as written")
    func formats() throws {
        let record = ConnectRecord(topic: "events", key: .null, value: .null, timestampMs: leapDay)
        let out = try run(
            chain(
                "TimestampRouter",
                ["topic.format": "archive_${timestamp}_${topic}", "timestamp.format": "yy-M-d'T'HH:mm:ss.SSS"]),
            record)
        #expect(out?.topic == "archive_24-2-29T13:05:09.042_events")
    }

    @Test(
        "patterns write UTC dates like SimpleDateFormat",
        arguments: [
            ("yyyyMMdd", Int64(0), "19700101"),
            ("yyyy-MM-dd HH:mm:ss", Int64(951_782_400_000), "2000-02-29 00:00:00"),
            ("yyyy-MM-dd", Int64(-86_400_000), "1969-12-31"),
            ("yyyy-MM-dd'T'HH", Int64(4_102_444_799_000), "2099-12-31T23"),
            ("'week of' yyyy", Int64(0), "week of 1970"),
            ("HH 'o''clock'", Int64(3_600_000 * 7), "07 o'clock"),
            ("yyyy''MM", Int64(0), "1970'01"),
        ])
    func patterns(pattern: String, millis: Int64, expected: String) throws {
        #expect(try TimestampPattern(pattern).format(epochMilliseconds: millis) == expected)
    }

    @Test("a record without a timestamp is refused and keeps its topic")
    func noTimestamp() throws {
        var record = ConnectRecord(topic: "events", key: .null, value: .null)
        #expect(throws: ConversionError.self) { try chain("TimestampRouter").apply(&record) }
        #expect(record.topic == "events")
    }

    @Test(
        "a pattern it cannot write is refused at create time", arguments: ["yyyy-MMM-dd", "EEE", "yyyy 'open", "zzz"])
    func badPattern(pattern: String) {
        #expect(
            configError("TimestampRouter", ["timestamp.format": pattern])?.description.contains(
                "'transforms.t.timestamp.format'") == true)
    }
}
