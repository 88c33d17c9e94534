import SluiceRuntime
import Testing

/// Kafka Connect's `__connect.errors.*` headers, names and order as its DeadLetterQueueReporter writes them.
@Suite("ErrorContextHeaders")
struct ErrorContextHeadersTests {
    /// The names Kafka Connect's DeadLetterQueueReporter writes, in its order.
    static let kafkaHeaderNames = [
        "topic", "partition", "offset", "connector.name", "task.id", "stage", "class.name",
        "exception.class.name", "exception.message", "exception.stacktrace",
    ].map { "__connect.errors." + $0 }

    @Test("every header of Kafka Connect, in its order, with the known values")
    func complete() {
        let headers = ErrorContextHeaders.make(
            error: ConversionError.unsupported("InsertField only works on object values"), stage: "TRANSFORMATION",
            className: "org.apache.kafka.connect.transforms.InsertField$Value", topic: "events", partition: 3,
            offset: 42,
            connector: "c", taskID: 1)
        let pairs = headers.map { ($0.name, String(decoding: $0.value ?? [], as: UTF8.self)) }
        #expect(pairs.map(\.0) == Self.kafkaHeaderNames)
        #expect(
            pairs.map(\.1) == [
                "events", "3", "42", "c", "1", "TRANSFORMATION",
                "org.apache.kafka.connect.transforms.InsertField$Value",
                "SluiceRuntime.ConversionError", "InsertField only works on object values",
                "SluiceRuntime.ConversionError: InsertField only works on object values\n\tcase: unsupported\n\tat org.apache.kafka.connect.transforms.InsertField$Value (stage TRANSFORMATION, connector c, task 1)",
            ])
    }

    @Test("without a consumed record the partition and offset are -1; extra pairs follow the offset")
    func sourceRecord() {
        let names = ErrorContextHeaders.make(
            error: ConversionError.malformed("x"), stage: "TASK_POLL", className: "T", topic: "t", connector: "c",
            taskID: 0,
            extra: [("file", "/a")]
        ).map { "\($0.name)=\(String(decoding: $0.value ?? [], as: UTF8.self))" }
        #expect(
            Array(names.prefix(4)) == [
                "__connect.errors.topic=t", "__connect.errors.partition=-1", "__connect.errors.offset=-1",
                "__connect.errors.file=/a",
            ])
    }
}
