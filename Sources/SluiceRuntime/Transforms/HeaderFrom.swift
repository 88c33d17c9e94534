import SluiceCore

/// Kafka Connect's `HeaderFrom$Key` and `$Value`: copies or moves fields of an object
/// key or value into headers, the n-th field of `fields` into the n-th name of `headers`.
///
/// ```properties
/// transforms.h.type=org.apache.kafka.connect.transforms.HeaderFrom$Value
/// transforms.h.fields=id,source
/// transforms.h.headers=record-id,origin
/// transforms.h.operation=move
/// ```
///
/// A field the object lacks gives a header with a null value, as in Kafka. A key or
/// value that is not an object, a null one included, fails the record (Kafka requires
/// a map there too). Header values are written as ``HeaderFrom/headerBytes(of:)`` says.
public struct HeaderFrom: Transformation {
    /// `copy` keeps the fields; `move` removes them from the key or value.
    public enum Operation: String, Sendable, CaseIterable { case copy, move }

    /// Whether the fields come from the key or the value.
    public var part: InsertField.Part
    /// The fields to read (`fields`).
    public var fields: [String]
    /// The header each field goes to, in the order of ``fields`` (`headers`).
    public var headerNames: [String]
    /// `operation`.
    public var operation: Operation

    /// Creates the transform; `fields` and `headerNames` have the same length.
    public init(part: InsertField.Part, fields: [String], headerNames: [String], operation: Operation) {
        precondition(fields.count == headerNames.count, "one header name per field")
        self.part = part
        self.fields = fields
        self.headerNames = headerNames
        self.operation = operation
    }

    public func apply(_ record: inout ConnectRecord) throws -> Bool {
        let refusal =
            "HeaderFrom (header \(operation.rawValue)) only works on object \(part == .key ? "keys" : "values")"
        guard var object = try record.takeFields(part, refusal: refusal) else {
            throw ConversionError.unsupported("\(refusal); got a null")
        }
        record.headers.reserveCapacity(record.headers.count + fields.count)
        for (field, header) in zip(fields, headerNames) {
            let value = object.first { $0.name == field }?.value ?? .null
            record.headers.append(RecordHeader(name: header, value: Self.headerBytes(of: value)))
        }
        if operation == .move {
            object.removeAll { fields.contains($0.name) }
        }
        record.put(.object(object), part)
        return true
    }

    /// The bytes a header gets for `value`, as Kafka's `SimpleHeaderConverter` writes
    /// them: text as UTF-8, bytes as they are, numbers and booleans as their text, null
    /// as a null header value; arrays and objects as JSON text (Kafka writes its own
    /// `Values` text form for those).
    public static func headerBytes(of value: ConnectValue) -> [UInt8]? {
        switch value {
        case .null: return nil
        case .string(let text): return Array(text.utf8)
        case .bytes(let bytes): return bytes
        case .boolean(let flag): return Array((flag ? "true" : "false").utf8)
        case .int(let number): return Array(String(number).utf8)
        case .double(let number): return Array("\(number)".utf8)
        case .array, .object:
            var text: [UInt8] = []
            JSONText.write(value, into: &text)
            return text
        }
    }
}
