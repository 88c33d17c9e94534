#if canImport(Glibc)
import Glibc
#endif

/// Appends bytes to a file, plain or compressed (by its name), and makes them durable
/// on ``flush()``: compressed files get a complete frame per flush, so the file is
/// readable (as concatenated frames) after every flush.
///
/// One thread at a time appends and flushes (a sink task's thread); the buffers skip
/// Swift's dynamic exclusivity checks for that reason, which cost more than the copy
/// of a short line.
public final class FileAppender {
    /// The file.
    public let path: String
    private let fd: Int32
    private let encoder: FrameEncoder
    /// Encoded bytes not yet written.
    @exclusivity(unchecked) private var pending: [UInt8] = []
    /// Plain bytes not yet encoded: codecs are fed in large chunks, not per record.
    @exclusivity(unchecked) private var staged: [UInt8] = []
    private static let chunkBytes = 256 * 1024

    /// Opens `path` for appending, creating it if needed.
    public init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        if fd < 0 { throw FileError.io(path: path, operation: "open for writing", errno: errno) }
        encoder = FrameEncoder(FileCompression(path: path))
        pending.reserveCapacity(1 << 20)
        staged.reserveCapacity(Self.chunkBytes)
    }

    deinit { close(fd) }

    /// Appends `bytes` (buffered until ``flush()`` or until a chunk is full).
    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        staged.append(contentsOf: bytes)
        if staged.count >= Self.chunkBytes { try encodeStaged() }
    }

    /// Appends `bytes` (nothing for `nil`) and a newline, as one line of the file.
    public func appendLine(_ bytes: UnsafeRawBufferPointer?) throws {
        if let bytes { staged.append(contentsOf: bytes) }
        staged.append(0x0A)
        if staged.count >= Self.chunkBytes { try encodeStaged() }
    }

    private func encodeStaged() throws {
        if encoder.compression == .none && pending.isEmpty {
            // Plain files: the staged bytes are what gets written; trade the buffers
            // instead of copying one into the other, and write the chunk now.
            swap(&staged, &pending)
            staged.removeAll(keepingCapacity: true)
            try writePending()
            return
        }
        staged.withUnsafeBytes { encoder.encode($0, into: &pending) }
        staged.removeAll(keepingCapacity: true)
        if pending.count >= 1 << 20 { try writePending() }
    }

    /// Ends the current frame, writes everything and fsyncs.
    public func flush() throws {
        try encodeStaged()
        encoder.finishFrame(into: &pending)
        try writePending()
        if fsync(fd) != 0 { throw FileError.io(path: path, operation: "fsync", errno: errno) }
    }

    private func writePending() throws {
        var offset = 0
        while offset < pending.count {
            let n = pending.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError.io(path: path, operation: "write", errno: errno)
            }
            offset += n
        }
        pending.removeAll(keepingCapacity: true)
    }
}
