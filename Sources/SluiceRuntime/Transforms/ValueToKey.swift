/// Kafka Connect's `ValueToKey`: the key becomes an object of the value's `fields`
/// (a field the value lacks becomes `null`, as in Kafka Connect without a schema).
///
/// ```properties
/// transforms.k.type=org.apache.kafka.connect.transforms.ValueToKey
/// transforms.k.fields=id,region
/// ```
public struct ValueToKey: Transformation {
    /// The value's fields that make up the key, in this order (`fields`).
    public var fields: [String]

    /// Creates the transform; `fields` names at least one field.
    public init(fields: [String]) {
        self.fields = fields
    }

    public func apply(_ record: inout ConnectRecord) throws -> Bool {
        guard let valueFields = record.value.fields else {
            throw ConversionError.unsupported(
                "ValueToKey copies fields from an object value; got a \(record.value.kindName)")
        }
        record.key = .object(
            fields.map { name in ConnectField(name, valueFields.first { $0.name == name }?.value ?? .null) })
        record.keySchema = nil  // a new struct without a name (as in Kafka)
        return true
    }
}
