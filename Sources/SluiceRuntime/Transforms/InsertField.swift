/// Kafka Connect's `InsertField$Value` (and `$Key`): adds the record's topic,
/// partition, timestamp or (on the sink path) Kafka offset, or a static value, as
/// fields of an object value.
///
/// `offset.field` needs a consumed record: on a record a source task wrote it fails
/// the record, with Kafka Connect's message ("Only SinkRecord supported for [field
/// insertion]"), as Kafka does.
public struct InsertField: Transformation {
    /// Which part of the record to change.
    public enum Part: Sendable { case key, value }

    /// Whether the key or the value changes.
    public var part: Part
    /// A field that gets the record's topic (`topic.field`).
    public var topicField: String?
    /// A field that gets the record's partition (`partition.field`).
    public var partitionField: String?
    /// A field that gets the record's timestamp (`timestamp.field`).
    public var timestampField: String?
    /// A field that gets the offset the record was consumed at (`offset.field`, sink path only).
    public var offsetField: String?
    /// A field that gets ``staticValue`` (`static.field`).
    public var staticField: String?
    /// The value of ``staticField`` (`static.value`).
    public var staticValue: String?

    /// Creates the transform; at least one field must be named.
    public init(part: Part, topicField: String? = nil, partitionField: String? = nil, timestampField: String? = nil,
                staticField: String? = nil, staticValue: String? = nil, offsetField: String? = nil) {
        self.part = part
        self.topicField = topicField
        self.partitionField = partitionField
        self.timestampField = timestampField
        self.staticField = staticField
        self.staticValue = staticValue
        self.offsetField = offsetField
    }

    public func apply(_ record: inout ConnectRecord) throws -> Bool {
        // Taken out of the record, so `fields` below is the only reference and grows in place.
        // Tombstones pass unchanged, as in Kafka Connect.
        let refusal = "InsertField only works on object values without a schema"
        guard var fields = try record.takeFields(part, refusal: refusal) else { return true }
        let offset = record.kafkaOffset
        if let offsetField, !offsetField.isEmpty, offset == nil {
            record.put(.object(fields), part)
            throw ConversionError.unsupported(
                "Only SinkRecord supported for [field insertion], found: a source record (offset.field needs a consumed record)")
        }
        func put(_ name: String?, _ value: @autoclosure () -> ConnectValue) {
            guard let name, !name.isEmpty else { return }
            fields.removeAll { $0.name == name }
            fields.append(ConnectField(name, value()))
        }
        put(topicField, .string(record.topic))
        put(partitionField, record.partition >= 0 ? .int(Int64(record.partition)) : .null)
        put(timestampField, .int(record.timestampMs))
        put(staticField, staticValue.map(ConnectValue.string) ?? .null)
        put(offsetField, offset.map(ConnectValue.int) ?? .null)
        record.put(.object(fields), part)
        return true
    }
}
