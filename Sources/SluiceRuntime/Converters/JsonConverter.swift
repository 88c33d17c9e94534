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
    /// Kafka Connect's class.
    public var className: String { "org.apache.kafka.connect.json.JsonConverter" }

    public func toBytes(_ value: ConnectValue) throws -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(128)
        return try write(value, into: &output) ? output : nil
    }

    public func write(_ value: ConnectValue, into output: inout [UInt8]) throws -> Bool {
        try write(value, schema: nil, into: &output)
    }

    /// With `schemas.enable=true`, the envelope's top-level schema gets `schema`'s
    /// `"name"` and `"version"` (as Kafka's `JsonConverter` writes a named schema), and
    /// an integer under Connect's `Date` or `Time` is an `int32`.
    public func write(_ value: ConnectValue, schema: SchemaMetadata?, into output: inout [UInt8]) throws -> Bool {
        if schemasEnabled {
            output.append(contentsOf: #"{"schema":"#.utf8)
            Self.writeSchema(of: value, into: &output, metadata: schema)
            output.append(contentsOf: #","payload":"#.utf8)
            JSONText.write(value, into: &output)
            output.append(UInt8(ascii: "}"))
        } else {
            if case .null = value { return false }
            JSONText.write(value, into: &output)
        }
        return true
    }

    public func toValue(_ bytes: UnsafeRawBufferPointer?) throws -> ConnectValue {
        try toValueAndSchema(bytes).0
    }

    /// With `schemas.enable=true`, also the `"name"` and `"version"` of the envelope's
    /// top-level schema (what ``SetSchemaMetadata`` or ``TimestampConverter`` gave it
    /// when Sluice wrote it).
    public func toValueAndSchema(_ bytes: UnsafeRawBufferPointer?) throws -> (ConnectValue, SchemaMetadata?) {
        guard let bytes, bytes.count > 0 else { return (.null, nil) }
        let parsed = try JSONText.parse(bytes)
        guard schemasEnabled else { return (parsed, nil) }
        guard let fields = parsed.fields, fields.contains(where: { $0.name == "payload" }),
            fields.allSatisfy({ $0.name == "schema" || $0.name == "payload" })
        else {
            throw ConversionError.malformed(
                "JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.")
        }
        return (parsed[field: "payload"] ?? .null, Self.metadata(of: parsed[field: "schema"]))
    }

    /// The name and version of a schema object, or `nil` when it has neither.
    private static func metadata(of schema: ConnectValue?) -> SchemaMetadata? {
        guard let schema else { return nil }
        var metadata = SchemaMetadata()
        if case let .string(name)? = schema[field: "name"] { metadata.name = name }
        if case let .int(version)? = schema[field: "version"] { metadata.version = Int32(exactly: version) }
        return metadata.name == nil && metadata.version == nil ? nil : metadata
    }

    /// Appends the Kafka Connect schema JSON of a schemaless value, written straight
    /// as text (no intermediate value per record): `{"type":...,"optional":...}`, with
    /// `"items"` for arrays and `"fields"` (each with its `"field"` name last) for structs,
    /// then `metadata`'s `"name"` and `"version"`.
    static func writeSchema(
        of value: ConnectValue, into output: inout [UInt8], fieldName: String? = nil, metadata: SchemaMetadata? = nil
    ) {
        func open(_ type: String, optional: Bool = false) {
            output.append(contentsOf: #"{"type":""#.utf8)
            output.append(contentsOf: type.utf8)
            output.append(contentsOf: (optional ? #"","optional":true"# : #"","optional":false"#).utf8)
        }
        switch value {
        case .null: open("string", optional: true)
        case .boolean: open("boolean")
        case .int: open(metadata?.isInt32 == true ? "int32" : "int64")
        case .double: open("double")
        case .string: open("string")
        case .bytes: open("bytes")
        case let .array(items):
            open("array")
            output.append(contentsOf: #","items":"#.utf8)
            writeSchema(of: items.first ?? .null, into: &output)
        case let .object(fields):
            open("struct")
            output.append(contentsOf: #","fields":["#.utf8)
            for (index, field) in fields.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeSchema(of: field.value, into: &output, fieldName: field.name)
            }
            output.append(UInt8(ascii: "]"))
        }
        if let name = metadata?.name {
            output.append(contentsOf: #","name":"#.utf8)
            JSONText.writeString(name, into: &output)
        }
        if let version = metadata?.version {
            output.append(contentsOf: #","version":"#.utf8)
            output.append(contentsOf: String(version).utf8)
        }
        if let fieldName {
            output.append(contentsOf: #","field":"#.utf8)
            JSONText.writeString(fieldName, into: &output)
        }
        output.append(UInt8(ascii: "}"))
    }
}
