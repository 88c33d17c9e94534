import SluiceCore

/// A record's key or value once it leaves the zero-copy path: the schemaless data
/// model that converters and transforms work on, like Kafka Connect's schemaless values.
///
/// Not `indirect`: arrays and objects already keep their elements on the heap, and
/// boxing every scalar would cost an allocation per field on the converted path.
public enum ConnectValue: Equatable, Sendable {
    case null
    case boolean(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case array([ConnectValue])
    /// Named fields in order (Kafka Connect's `Struct`, or a `Map` from JSON).
    case object([ConnectField])

    /// The fields of an object, or `nil`.
    public var fields: [ConnectField]? {
        if case let .object(fields) = self { return fields }
        return nil
    }

    /// The value of field `name` of an object.
    public subscript(field name: String) -> ConnectValue? {
        fields?.first { $0.name == name }?.value
    }

    /// A short name of the value's kind, for error messages.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .boolean: return "boolean"
        case .int: return "integer"
        case .double: return "double"
        case .string: return "string"
        case .bytes: return "bytes"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

/// One named field of a ``ConnectValue/object(_:)``.
public struct ConnectField: Equatable, Sendable {
    /// The field's name.
    public var name: String
    /// The field's value (for a record: the record's value).
    public var value: ConnectValue

    /// Creates a field.
    public init(_ name: String, _ value: ConnectValue) {
        self.name = name
        self.value = value
    }
}

/// A record outside the zero-copy path, as transforms see it.
public struct ConnectRecord: Sendable, Equatable {
    /// The topic the record goes to or came from.
    public var topic: String
    /// The partition, or -1 to let the partitioner choose.
    public var partition: Int32
    /// The record's key.
    public var key: ConnectValue
    /// The field's value (for a record: the record's value).
    public var value: ConnectValue
    /// Milliseconds since the epoch, or 0 for none.
    public var timestampMs: Int64
    /// The record's headers in order (a name may repeat), as the source task wrote them
    /// or as they were consumed; written out after the transforms. Empty costs nothing.
    public var headers: [RecordHeader]
    /// The offset the record was consumed at (sink path), or `nil` for a record a
    /// source task wrote: Kafka Connect's `SinkRecord.kafkaOffset()`.
    public var kafkaOffset: Int64?
    /// The name and version given to the key's schema (``SetSchemaMetadata``), or `nil`.
    public var keySchema: SchemaMetadata?
    /// The name and version given to the value's schema (``SetSchemaMetadata``,
    /// ``TimestampConverter``), or `nil`.
    public var valueSchema: SchemaMetadata?

    /// Creates a record.
    public init(
        topic: String, partition: Int32 = -1, key: ConnectValue, value: ConnectValue, timestampMs: Int64 = 0,
        headers: [RecordHeader] = [], kafkaOffset: Int64? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.timestampMs = timestampMs
        self.headers = headers
        self.kafkaOffset = kafkaOffset
    }

    /// The schema metadata of the key or value.
    func schema(_ part: InsertField.Part) -> SchemaMetadata? {
        part == .value ? valueSchema : keySchema
    }

    /// Sets the schema metadata of the key or value.
    mutating func setSchema(_ metadata: SchemaMetadata?, _ part: InsertField.Part) {
        if part == .value { valueSchema = metadata } else { keySchema = metadata }
    }
}

extension ConnectRecord {
    /// Moves the key or value out, leaving `.null`, so a transform holds the only
    /// reference to its arrays and can change them in place.
    mutating func take(_ part: InsertField.Part) -> ConnectValue {
        var taken = ConnectValue.null
        if part == .value { swap(&taken, &value) } else { swap(&taken, &key) }
        return taken
    }

    /// Stores `newValue` as the key or value.
    mutating func put(_ newValue: ConnectValue, _ part: InsertField.Part) {
        if part == .value { value = newValue } else { key = newValue }
    }
}
