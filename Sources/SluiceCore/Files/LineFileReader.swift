#if canImport(Glibc)
import Glibc
#endif

/// Reads a text file line by line, plain or compressed (by its name), and follows it
/// as it grows.
///
/// Positions are byte offsets in the *decompressed* stream, so they are stable
/// offsets for Kafka Connect-style source offsets. Opening at a position decompresses
/// and skips to it (compressed streams cannot seek). Corrupt compressed data throws
/// ``FileError/corrupt(path:offset:reason:)`` with the compressed byte offset.
public final class LineFileReader {
    /// The file.
    public let path: String
    /// How it is compressed.
    public let compression: FileCompression
    private let fd: Int32
    private let decoder: FrameDecoder
    private var raw: [UInt8]
    private var rawStart = 0
    private var rawEnd = 0
    /// Compressed bytes consumed by the decoder so far.
    private var rawOffset: Int64 = 0
    private var text: [UInt8]
    private var textStart = 0
    private var textEnd = 0
    /// Decompressed position of `text[textStart]`.
    public private(set) var position: Int64 = 0

    /// Opens `path` and skips to `position` (a position returned earlier).
    public init(path: String, from position: Int64 = 0, bufferBytes: Int = 1 << 20) throws {
        self.path = path
        compression = FileCompression(path: path)
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw FileError.io(path: path, operation: "open", errno: errno) }
        decoder = FrameDecoder(compression)
        raw = [UInt8](repeating: 0, count: bufferBytes)
        text = [UInt8](repeating: 0, count: bufferBytes)
        while self.position < position {
            if textStart == textEnd, try !fill() { break }
            let skip = Int(min(Int64(textEnd - textStart), position - self.position))
            textStart += skip
            self.position += Int64(skip)
        }
    }

    deinit { close(fd) }

    /// Calls `body` with each complete line available now (without its `\n`, as a view
    /// valid only during the call) and the position after it, until `body` returns
    /// `false` or no complete line is left.
    /// - Returns: whether a complete line may still be buffered (`body` stopped early).
    @discardableResult
    public func forEachLine(_ body: (UnsafeRawBufferPointer, Int64) throws -> Bool) throws -> Bool {
        while true {
            // Look for a newline in what is buffered.
            let found: Int? = text.withUnsafeBytes { bytes in
                guard textEnd > textStart else { return nil }
                let base = bytes.baseAddress! + textStart
                guard let hit = memchr(base, 0x0A, textEnd - textStart) else { return nil }
                return UnsafeRawPointer(hit) - UnsafeRawPointer(bytes.baseAddress!)
            }
            if let newline = found {
                let length = newline - textStart
                let after = position + Int64(length + 1)
                let keepGoing = try text.withUnsafeBytes { bytes in
                    try body(UnsafeRawBufferPointer(rebasing: bytes[textStart..<newline]), after)
                }
                textStart = newline + 1
                position = after
                if !keepGoing { return true }
                continue
            }
            // No complete line: make room and read more, or stop at the current end.
            if textStart > 0 {
                let pending = textEnd - textStart
                text.withUnsafeMutableBytes { bytes in
                    _ = memmove(bytes.baseAddress!, bytes.baseAddress! + textStart, pending)
                }
                textStart = 0
                textEnd = pending
            }
            if textEnd == text.count {
                // A line longer than the buffer: grow it.
                text.append(contentsOf: repeatElement(0, count: text.count))
            }
            if try !fill() { return false }
        }
    }

    /// Decodes more text into the buffer. Returns `false` at the current end of file.
    private func fill() throws -> Bool {
        while true {
            if rawStart == rawEnd {
                rawStart = 0
                rawEnd = 0
                let n = raw.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if n < 0 { throw FileError.io(path: path, operation: "read", errno: errno) }
                if n == 0 { return false }
                rawEnd = n
            }
            if textStart == textEnd { textStart = 0; textEnd = 0 }
            // Compressed input goes to the decoder in slices: text decoded from the
            // slices before damaged data is handed out before the damage is reported,
            // and the reported offset is within one slice of it.
            let sliceEnd = compression == .none ? rawEnd : min(rawEnd, rawStart + Self.compressedSliceBytes)
            let result: (consumed: Int, produced: Int)
            do {
                result = try raw.withUnsafeBytes { input in
                    try text.withUnsafeMutableBytes { output in
                        try decoder.decode(
                            input: UnsafeRawBufferPointer(rebasing: input[rawStart..<sliceEnd]),
                            output: UnsafeMutableRawBufferPointer(rebasing: output[textEnd...]))
                    }
                }
            } catch let failure as FrameDecoder.DecodeFailure {
                throw FileError.corrupt(path: path, offset: rawOffset, reason: failure.reason)
            }
            rawStart += result.consumed
            rawOffset += Int64(result.consumed)
            textEnd += result.produced
            if result.produced > 0 { return true }
        }
    }

    /// Compressed bytes handed to the decoder per call.
    public static let compressedSliceBytes = 16 * 1024

    /// Whether the compressed input so far ends between frames (a partly written
    /// frame at the end of a growing file is not yet an error).
    public var atFrameBoundary: Bool { decoder.atFrameBoundary }

    /// Compressed bytes read so far (for error positions).
    public var compressedOffset: Int64 { rawOffset }
}
