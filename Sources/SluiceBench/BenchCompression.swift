/// A producer compression codec a benchmark runs with (librdkafka's `compression.type`).
public enum BenchCompression: String, CaseIterable, Sendable {
    /// No compression.
    case none
    /// gzip (zlib).
    case gzip
    /// Snappy.
    case snappy
    /// LZ4 frames.
    case lz4
    /// Zstandard.
    case zstd
}
