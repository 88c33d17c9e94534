#if canImport(Glibc)
import Glibc
#endif

/// Finds where the complete LZ4 or zstd frames of a file end, reading only frame and
/// block headers (`pread`), so that a file a writer left torn (killed while writing a
/// frame) can be cut back to what decodes.
///
/// The formats are walked as their specifications lay them out: LZ4 frames
/// (lz4_Frame_format.md: magic, FLG/BD, optional content size and dictionary id,
/// header checksum, blocks of a 4-byte size with an optional checksum, the end mark,
/// an optional content checksum) and zstd frames (RFC 8878: magic, frame header,
/// blocks of a 3-byte header, an optional checksum), and skippable frames of both.
enum FrameScanner {
    /// What a scan found.
    struct Result: Equatable {
        /// Bytes from the start that are whole frames.
        var completeBytes: Int64
        /// Whether a frame runs past the end of the file (torn).
        var tornTail: Bool
    }

    /// Scans `fd` (a file of `size` bytes) from its start.
    /// - Throws: ``FileError/corrupt(path:offset:reason:)`` when bytes that are not a
    ///   frame of `compression` stand before the end: such a file is not one this
    ///   writer wrote, and it is not touched.
    static func scan(fd: Int32, size: Int64, compression: FileCompression, path: String) throws -> Result {
        var reader = HeaderReader(fd: fd, size: size)
        var position: Int64 = 0
        while position < size {
            reader.position = position
            do {
                let magic = try reader.uint32()
                if magic & 0xFFFF_FFF0 == 0x184D_2A50 {  // skippable frame (both formats)
                    let length = Int64(try reader.uint32())
                    try reader.skip(length)
                } else if compression == .lz4 && magic == 0x184D_2204 {
                    try lz4Frame(&reader)
                } else if compression == .zstd && magic == 0xFD2F_B528 {
                    try zstdFrame(&reader)
                } else {
                    throw FileError.corrupt(path: path, offset: position, reason: "not a \(compression.rawValue) frame (magic \(String(magic, radix: 16)))")
                }
            } catch is PastEnd {
                return Result(completeBytes: position, tornTail: true)
            }
            position = reader.position
        }
        return Result(completeBytes: size, tornTail: false)
    }

    private static func lz4Frame(_ reader: inout HeaderReader) throws {
        let flags = try reader.uint8()
        _ = try reader.uint8()  // BD
        let blockChecksum = flags & 0x10 != 0
        if flags & 0x08 != 0 { try reader.skip(8) }  // content size
        if flags & 0x01 != 0 { try reader.skip(4) }  // dictionary id
        try reader.skip(1)  // header checksum
        while true {
            let word = try reader.uint32()
            if word == 0 { break }  // end mark
            try reader.skip(Int64(word & 0x7FFF_FFFF) + (blockChecksum ? 4 : 0))
        }
        if flags & 0x04 != 0 { try reader.skip(4) }  // content checksum
    }

    private static func zstdFrame(_ reader: inout HeaderReader) throws {
        let descriptor = try reader.uint8()
        let singleSegment = descriptor & 0x20 != 0
        let contentSizeFlag = descriptor >> 6
        if !singleSegment { try reader.skip(1) }  // window descriptor
        try reader.skip([0, 1, 2, 4][Int(descriptor & 0x03)])  // dictionary id
        try reader.skip([singleSegment ? 1 : 0, 2, 4, 8][Int(contentSizeFlag)])
        while true {
            let header = try reader.uint24()
            let last = header & 1 != 0
            let type = (header >> 1) & 3
            let size = Int64(header >> 3)
            try reader.skip(type == 1 ? 1 : size)  // RLE blocks hold one byte
            if last { break }
        }
        if descriptor & 0x04 != 0 { try reader.skip(4) }  // content checksum
    }

    /// A frame runs past the end of the file.
    private struct PastEnd: Error {}

    /// Little-endian header fields read with `pread`; skipping checks the end.
    private struct HeaderReader {
        let fd: Int32
        let size: Int64
        var position: Int64 = 0

        init(fd: Int32, size: Int64) {
            self.fd = fd
            self.size = size
        }

        mutating func bytes(_ count: Int) throws -> [UInt8] {
            guard position + Int64(count) <= size else { throw PastEnd() }
            var buffer = [UInt8](repeating: 0, count: count)
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(position)) }
            guard got == count else { throw PastEnd() }
            position += Int64(count)
            return buffer
        }

        mutating func uint8() throws -> UInt8 { try bytes(1)[0] }

        mutating func uint24() throws -> UInt32 {
            let b = try bytes(3)
            return UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16
        }

        mutating func uint32() throws -> UInt32 {
            let b = try bytes(4)
            return UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
        }

        mutating func skip(_ count: Int64) throws {
            guard position + count <= size else { throw PastEnd() }
            position += count
        }
    }
}
