/// What the bytes a source task writes mean, so converters and transforms can read
/// them when a record leaves the zero-copy path.
public enum SourceValueFormat: Sendable {
    /// Opaque bytes (Kafka Connect's `BYTES` schema).
    case bytes
    /// UTF-8 text (Kafka Connect's `STRING` schema), as FileStreamSource writes.
    case string
    /// JSON text, parsed into objects, arrays and scalars.
    case json
    /// Already the bytes the connector's key and value converters make (JsonConverter
    /// when the connector names none): the task wrote them itself, with schemas it
    /// knows (the SQL source's column types). They pass through; transforms read them
    /// back with those converters and write them again (schemas then inferred, with the
    /// name and version of the whole key's and value's kept: ``SchemaMetadata``).
    case converted
}
