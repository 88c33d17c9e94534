/// The name and version of a key's or value's schema, as Kafka Connect's
/// `Schema.name()` and `Schema.version()` carry them.
///
/// Sluice's values carry no schema of their own: a converter that writes one infers
/// it from the value (``JsonConverter`` with `schemas.enable=true`). What a record
/// can carry is this metadata, set by ``SetSchemaMetadata`` or ``TimestampConverter``
/// on the whole key or value; ``JsonConverter`` writes it into the top-level schema of
/// its envelope, as Kafka's does:
///
/// ```json
/// {"schema":{"type":"struct","optional":false,"fields":[...],"name":"com.example.Order","version":2},"payload":{...}}
/// ```
///
/// Converters that write no schema (`schemas.enable=false`, `StringConverter`,
/// `ByteArrayConverter`) drop it, as Kafka's do. `JsonConverter` reads it back from an
/// envelope (``Converter/toValueAndSchema(_:)``), so sink records carry it; a transform
/// that makes a new key or value (``HoistField``, ``ExtractField``, ``ValueToKey``, a
/// whole-value ``Cast``) drops it, as Kafka's make a new schema without a name.
public struct SchemaMetadata: Sendable, Equatable {
    /// The schema's name (`schema.name`), or `nil` to write none.
    public var name: String?
    /// The schema's version (`schema.version`), or `nil` to write none.
    public var version: Int32?

    /// Creates the metadata.
    public init(name: String? = nil, version: Int32? = nil) {
        self.name = name
        self.version = version
    }

    /// Kafka Connect's `Timestamp` logical type: `int64` milliseconds since the epoch.
    public static let timestamp = SchemaMetadata(name: "org.apache.kafka.connect.data.Timestamp", version: 1)
    /// Kafka Connect's `Date` logical type: `int32` days since the epoch.
    public static let date = SchemaMetadata(name: "org.apache.kafka.connect.data.Date", version: 1)
    /// Kafka Connect's `Time` logical type: `int32` milliseconds since midnight.
    public static let time = SchemaMetadata(name: "org.apache.kafka.connect.data.Time", version: 1)

    /// Whether an integer under this schema is an `int32` in Kafka Connect (its `Date`
    /// and `Time` logical types); every other integer is written as `int64`.
    var isInt32: Bool { name == Self.date.name || name == Self.time.name }
}
