#if canImport(Glibc)
import Glibc
#endif

/// Appends bytes to a file, plain or compressed (by its name), and makes them durable
/// on ``flush()``: compressed files get a complete frame per flush, so the file is
/// readable (as concatenated frames) after every flush.
///
/// Compressed files only ever receive whole frames: when the encoded bytes between
/// two flushes grow past 1 MiB the frame is ended and written, and nothing of an
/// unfinished frame is written. A process killed while writing a frame leaves it torn
/// at the end of the file; opening the file again cuts that tail back to the last
/// complete frame (``truncatedTornBytes``), so the file always decodes with the
/// standard `zstd`/`lz4` tools. A file whose bytes are not frames of its codec is an
/// error and is left alone.
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
    /// Bytes of a torn final frame cut off when the file was opened (0: none).
    public private(set) var truncatedTornBytes: Int64 = 0

    /// Opens `path` for appending, creating it if needed; a compressed file that ends
    /// in a torn frame is cut back to its last complete frame.
    /// - Throws: ``FileError/io(path:operation:errno:)``, or
    ///   ``FileError/corrupt(path:offset:reason:)`` for a compressed file holding bytes
    ///   that are not frames of its codec (it is not changed).
    public init(path: String) throws {
        self.path = path
        let compression = FileCompression(path: path)
        // Read access too: the frame scan reads the headers of a compressed file.
        fd = open(path, (compression == .none ? O_WRONLY : O_RDWR) | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        if fd < 0 { throw FileError.io(path: path, operation: "open for writing", errno: errno) }
        if compression != .none {
            do {
                truncatedTornBytes = try Self.repairTornTail(fd: fd, path: path, compression)
            } catch {
                close(fd)
                throw error
            }
        }
        encoder = FrameEncoder(compression)
        pending.reserveCapacity(1 << 20)
        staged.reserveCapacity(Self.chunkBytes)
    }

    deinit { close(fd) }

    /// Cuts a torn final frame off the file `fd`; returns the bytes cut.
    private static func repairTornTail(fd: Int32, path: String, _ compression: FileCompression) throws -> Int64 {
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw FileError.io(path: path, operation: "stat", errno: errno) }
        let size = Int64(status.st_size)
        guard size > 0 else { return 0 }
        let scan = try FrameScanner.scan(fd: fd, size: size, compression: compression, path: path)
        guard scan.tornTail else { return 0 }
        if ftruncate(fd, off_t(scan.completeBytes)) != 0 {
            throw FileError.io(path: path, operation: "cut the torn final frame from", errno: errno)
        }
        if fsync(fd) != 0 { throw FileError.io(path: path, operation: "fsync", errno: errno) }
        return size - scan.completeBytes
    }

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
        if pending.count >= 1 << 20 {
            // Only whole frames reach the file: end this one first.
            encoder.finishFrame(into: &pending)
            try writePending()
        }
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
