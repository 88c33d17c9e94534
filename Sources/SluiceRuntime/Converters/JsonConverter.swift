/// Kafka Connect's `JsonConverter`. With `schemas.enable=true` (Kafka Connect's
/// default) values travel in an envelope `{"schema": {...}, "payload": ...}`; with
/// `false` as plain JSON.
public struct JsonConverter: Converter {
    /// Whether values travel with their schema.
    public var schemasEnabled: Bool

    /// Creates a converter.
    public init(schemasEnabled: Bool = true) {
        self.schemasEnabled = schemasEnabled
    }

    public var isPassThrough: Bool { false }

    public func toBytes(_ value: ConnectValue) throws -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(128)
        if schemasEnabled {
            output.append(contentsOf: #"{"schema":"#.utf8)
            JSONText.write(Self.schema(of: value), into: &output)
            output.append(contentsOf: #","payload":"#.utf8)
            JSONText.write(value, into: &output)
            output.append(UInt8(ascii: "}"))
        } else {
            if value == .null { return nil }
            JSONText.write(value, into: &output)
        }
        return output
    }

    public func toValue(_ bytes: UnsafeRawBufferPointer?) throws -> ConnectValue {
        guard let bytes, bytes.count > 0 else { return .null }
        let parsed = try JSONText.parse(bytes)
        guard schemasEnabled else { return parsed }
        guard let fields = parsed.fields, fields.contains(where: { $0.name == "payload" }),
            fields.allSatisfy({ $0.name == "schema" || $0.name == "payload" })
        else {
            throw ConversionError.malformed(
                "JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.")
        }
        return parsed[field: "payload"] ?? .null
    }

    /// The Kafka Connect schema JSON of a schemaless value.
    static func schema(of value: ConnectValue) -> ConnectValue {
        func type(_ name: String, optional: Bool = false) -> [ConnectField] {
            [ConnectField("type", .string(name)), ConnectField("optional", .boolean(optional))]
        }
        switch value {
        case .null: return .object(type("string", optional: true))
        case .boolean: return .object(type("boolean"))
        case .int: return .object(type("int64"))
        case .double: return .object(type("double"))
        case .string: return .object(type("string"))
        case .bytes: return .object(type("bytes"))
        case let .array(items):
            return .object(type("array") + [ConnectField("items", items.first.map(schema(of:)) ?? .object(type("string", optional: true)))])
        case let .object(fields):
            let described = fields.map { field -> ConnectValue in
                var entry = schema(of: field.value).fields ?? []
                entry.append(ConnectField("field", .string(field.name)))
                return .object(entry)
            }
            return .object(type("struct") + [ConnectField("fields", .array(described))])
        }
    }
}
