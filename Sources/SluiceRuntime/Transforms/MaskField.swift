/// Kafka Connect's `MaskField$Key` and `$Value`: replaces the named fields with an
/// empty value of their kind (`0`, `0.0`, `false`, `""`, an empty array or object),
/// or with `replacement` read as that kind (numbers and strings only).
///
/// ```properties
/// transforms.mask.type=org.apache.kafka.connect.transforms.MaskField$Value
/// transforms.mask.fields=ssn,salary
/// transforms.mask.replacement=0
/// ```
///
/// As in Kafka Connect without a schema, a named field the object lacks is added as `null`.
public struct MaskField: Transformation {
    /// Whether the key or the value changes.
    public var part: InsertField.Part
    /// The fields to mask (`fields`).
    public var fields: [String]
    /// The replacement as written (`replacement`), or `nil` for the empty value of each kind.
    public var replacement: String?

    /// Creates the transform.
    public init(part: InsertField.Part, fields: [String], replacement: String? = nil) {
        self.part = part
        self.fields = fields
        self.replacement = replacement
    }

    public func apply(_ record: inout ConnectRecord) throws -> Bool {
        guard var fieldsOfRecord = try record.takeFields(part, refusal: "MaskField masks fields of an object") else {
            return true
        }
        // Every mask is worked out before any is written, so a refused record keeps its value.
        let maskedValues: [ConnectValue?]
        do {
            maskedValues = try fields.map { name in
                try fieldsOfRecord.first { $0.name == name }.map { try masked($0.value, field: name) }
            }
        } catch {
            record.put(.object(fieldsOfRecord), part)
            throw error
        }
        for (name, maskedValue) in zip(fields, maskedValues) {
            if let maskedValue, let index = fieldsOfRecord.firstIndex(where: { $0.name == name }) {
                fieldsOfRecord[index].value = maskedValue
            } else {
                fieldsOfRecord.append(ConnectField(name, .null))
            }
        }
        record.put(.object(fieldsOfRecord), part)
        return true
    }

    /// The masked form of `value`.
    private func masked(_ value: ConnectValue, field: String) throws -> ConnectValue {
        guard let replacement else {
            switch value {
            case .null: return .null
            case .boolean: return .boolean(false)
            case .int: return .int(0)
            case .double: return .double(0)
            case .string: return .string("")
            case .bytes: return .bytes([])
            case .array: return .array([])
            case .object: return .object([])
            }
        }
        switch value {
        case .null:
            return .null
        case .string:
            return .string(replacement)
        case .int:
            guard let number = Int64(replacement) else { throw unreadable(field, as: value) }
            return .int(number)
        case .double:
            guard let number = Double(replacement) else { throw unreadable(field, as: value) }
            return .double(number)
        default:
            throw ConversionError.unsupported(
                "MaskField cannot put replacement '\(replacement)' into field '\(field)': a \(value.kindName) takes no custom replacement, only numbers and strings do"
            )
        }
    }

    private func unreadable(_ field: String, as value: ConnectValue) -> ConversionError {
        .unsupported(
            "MaskField cannot put replacement '\(replacement ?? "")' into field '\(field)': it is not a \(value.kindName)"
        )
    }
}
