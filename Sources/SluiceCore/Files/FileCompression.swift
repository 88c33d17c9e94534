/// How a file's bytes are stored, chosen by its name: `.lz4` (LZ4 frame), `.zst`
/// (zstd frame), anything else plain.
public enum FileCompression: String, Sendable, CaseIterable {
    case none, lz4, zstd

    /// The compression a file name implies.
    public init(path: String) {
        if path.hasSuffix(".lz4") {
            self = .lz4
        } else if path.hasSuffix(".zst") || path.hasSuffix(".zstd") {
            self = .zstd
        } else {
            self = .none
        }
    }
}
