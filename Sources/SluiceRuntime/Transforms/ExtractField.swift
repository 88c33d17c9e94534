/// Kafka Connect's `ExtractField$Key` and `$Value`: the key or value becomes the
/// value of one of its fields (`null` when the field is absent or the record is a tombstone).
///
/// ```properties
/// transforms.id.type=org.apache.kafka.connect.transforms.ExtractField$Key
/// transforms.id.field=id
/// ```
public struct ExtractField: Transformation {
    /// Whether the key or the value changes.
    public var part: InsertField.Part
    /// The field whose value is kept (`field`).
    public var field: String

    /// Creates the transform.
    public init(part: InsertField.Part, field: String) {
        self.part = part
        self.field = field
    }

    public func apply(_ record: inout ConnectRecord) throws -> Bool {
        guard let fields = try record.takeFields(part, refusal: "ExtractField takes field '\(field)' out of an object")
        else { return true }
        record.put(fields.first { $0.name == field }?.value ?? .null, part)
        record.setSchema(nil, part)  // the field's schema, not the object's: no name (as in Kafka)
        return true
    }
}
