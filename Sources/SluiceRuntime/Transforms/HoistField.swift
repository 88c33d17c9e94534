/// Kafka Connect's `HoistField$Key` and `$Value`: the key or value becomes an object
/// with one field that holds it (`{"line": "..."}` from `"..."` with `field=line`).
public struct HoistField: Transformation {
    /// Whether the key or the value changes.
    public var part: InsertField.Part
    /// The name of the one field (`field`).
    public var field: String

    /// Creates the transform.
    public init(part: InsertField.Part, field: String) {
        self.part = part
        self.field = field
    }

    public func apply(_ record: inout ConnectRecord) throws -> Bool {
        record.put(.object([ConnectField(field, record.take(part))]), part)
        record.setSchema(nil, part)  // a new struct without a name (as in Kafka)
        return true
    }
}
