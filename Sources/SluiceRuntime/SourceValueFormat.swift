/// What the bytes a source task writes mean, so converters and transforms can read
/// them when a record leaves the zero-copy path.
public enum SourceValueFormat: Sendable {
    /// Opaque bytes (Kafka Connect's `BYTES` schema).
    case bytes
    /// UTF-8 text (Kafka Connect's `STRING` schema), as FileStreamSource writes.
    case string
    /// JSON text, parsed into objects, arrays and scalars.
    case json
}
