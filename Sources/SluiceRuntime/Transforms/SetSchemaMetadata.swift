/// Kafka Connect's `SetSchemaMetadata$Key` and `$Value`: names the schema of the key or
/// value (`schema.name`) and gives it a version (`schema.version`).
///
/// ```properties
/// transforms.name.type=org.apache.kafka.connect.transforms.SetSchemaMetadata$Value
/// transforms.name.schema.name=com.example.Order
/// transforms.name.schema.version=2
/// ```
///
/// Sluice's values carry no schema of their own: the schema a converter writes is
/// inferred from the value. This transform sets the name and version that schema gets
/// (``ConnectRecord/valueSchema``, ``SchemaMetadata``): `JsonConverter` with
/// `schemas.enable=true` writes them into its envelope, as Kafka's does for a named
/// schema; converters that write no schema drop them, as Kafka's do; a sink task's
/// `put(records:)` sees them on the record. Where Kafka has no schema to change it
/// fails the record; Sluice always has the inferred one, so it never fails. A null key
/// or value without a name passes unchanged, as in Kafka.
public struct SetSchemaMetadata: Transformation {
    /// Whether the key's or the value's schema is named.
    public var part: InsertField.Part
    /// `schema.name`, or `nil` to keep the name the schema has.
    public var name: String?
    /// `schema.version`, or `nil` to keep the version the schema has.
    public var version: Int32?

    /// Creates the transform; at least one of `name` and `version` is set.
    public init(part: InsertField.Part, name: String?, version: Int32?) {
        precondition(name != nil || version != nil, "a name or a version")
        self.part = part
        self.name = name
        self.version = version
    }

    public func apply(_ record: inout ConnectRecord) throws -> Bool {
        let current = record.schema(part)
        if current == nil, (part == .value ? record.value : record.key) == .null { return true }
        var metadata = current ?? SchemaMetadata()
        if let name { metadata.name = name }
        if let version { metadata.version = version }
        record.setSchema(metadata, part)
        return true
    }
}
