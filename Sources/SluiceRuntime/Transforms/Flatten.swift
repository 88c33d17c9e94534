/// Kafka Connect's `Flatten$Key` and `$Value`: nested objects become top-level fields
/// whose names join the path with `delimiter` (`{"a":{"b":1}}` → `{"a.b":1}`).
/// Arrays and scalars are kept as they are; an empty nested object leaves no field.
///
/// ```properties
/// transforms.flat.type=org.apache.kafka.connect.transforms.Flatten$Value
/// transforms.flat.delimiter=_
/// ```
public struct Flatten: Transformation {
    /// Whether the key or the value changes.
    public var part: InsertField.Part
    /// What joins the names of a path (`delimiter`, `.` by default).
    public var delimiter: String

    /// Creates the transform.
    public init(part: InsertField.Part, delimiter: String = ".") {
        self.part = part
        self.delimiter = delimiter
    }

    public func apply(_ record: inout ConnectRecord) throws -> Bool {
        guard let fields = try record.takeFields(part, refusal: "Flatten flattens an object") else { return true }
        guard fields.contains(where: { $0.value.fields != nil }) else {
            record.put(.object(fields), part)  // nothing nested: the same fields, no new array
            return true
        }
        var flat: [ConnectField] = []
        flat.reserveCapacity(fields.count)
        append(fields, prefix: "", to: &flat)
        record.put(.object(flat), part)
        return true
    }

    private func append(_ fields: [ConnectField], prefix: String, to flat: inout [ConnectField]) {
        for field in fields {
            let name = prefix.isEmpty ? field.name : prefix + delimiter + field.name
            if let nested = field.value.fields {
                append(nested, prefix: name, to: &flat)
            } else {
                flat.append(ConnectField(name, field.value))
            }
        }
    }
}
