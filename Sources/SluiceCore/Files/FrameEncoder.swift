import CLZ4
import CZstd

/// Streaming compression into LZ4 or zstd frames.
///
/// Memory: the encoder owns its native context and frees it in `deinit`.
final class FrameEncoder {
    private enum Context {
        case none
        case lz4(OpaquePointer)  // LZ4F_cctx*
        case zstd(OpaquePointer)  // ZSTD_CStream*
    }

    /// LZ4 frames with a checksum per block and for the content: without them, damage
    /// inside a block's literals decodes silently into wrong bytes (LZ4 only notices
    /// offsets that point outside the data), and a reader could deliver corrupt lines.
    static var lz4Preferences: LZ4F_preferences_t {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockChecksumFlag = LZ4F_blockChecksumEnabled
        preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
        return preferences
    }

    private var context: Context
    private var frameOpen = false
    let compression: FileCompression

    init(_ compression: FileCompression) {
        self.compression = compression
        switch compression {
        case .none:
            context = .none
        case .lz4:
            var cctx: OpaquePointer?
            _ = LZ4F_createCompressionContext(&cctx, UInt32(LZ4F_VERSION))
            context = .lz4(cctx!)
        case .zstd:
            let stream = ZSTD_createCStream()!
            ZSTD_initCStream(stream, 3)
            // A checksum of each frame's content: zstd has none per block, and damage the
            // block decoder does not notice would otherwise be read as other lines.
            ZSTD_CCtx_setParameter(stream, ZSTD_c_checksumFlag, 1)
            context = .zstd(stream)
        }
    }

    deinit {
        switch context {
        case .none: break
        case let .lz4(cctx): LZ4F_freeCompressionContext(cctx)
        case let .zstd(stream): ZSTD_freeCStream(stream)
        }
    }

    /// Compresses `input`, appending the encoded bytes to `output`.
    func encode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        switch context {
        case .none:
            output.append(contentsOf: input)
        case let .lz4(cctx):
            if !frameOpen {
                var header = [UInt8](repeating: 0, count: 32)
                var preferences = Self.lz4Preferences
                let n = LZ4F_compressBegin(cctx, &header, header.count, &preferences)
                output.append(contentsOf: header.prefix(n))
                frameOpen = true
            }
            var preferences = Self.lz4Preferences
            let bound = LZ4F_compressBound(input.count, &preferences)
            let start = output.count
            output.append(contentsOf: repeatElement(0, count: bound))
            let n = output.withUnsafeMutableBytes {
                LZ4F_compressUpdate(cctx, $0.baseAddress! + start, bound, input.baseAddress, input.count, nil)
            }
            output.removeLast(bound - n)
        case let .zstd(stream):
            frameOpen = true
            var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
            while inBuffer.pos < inBuffer.size {
                drainZstd(stream, into: &output) { ZSTD_compressStream2(stream, &$0, &inBuffer, ZSTD_e_continue) }
            }
        }
    }

    /// Ends the current frame (so the output so far is a complete, readable file).
    func finishFrame(into output: inout [UInt8]) {
        guard frameOpen else { return }
        frameOpen = false
        switch context {
        case .none:
            break
        case let .lz4(cctx):
            var preferences = Self.lz4Preferences
            var tail = [UInt8](repeating: 0, count: LZ4F_compressBound(0, &preferences) + 64)
            let n = LZ4F_compressEnd(cctx, &tail, tail.count, nil)
            output.append(contentsOf: tail.prefix(n))
        case let .zstd(stream):
            var empty = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
            var remaining = 1
            while remaining != 0 {
                drainZstd(stream, into: &output) { outBuffer in
                    let r = ZSTD_compressStream2(stream, &outBuffer, &empty, ZSTD_e_end)
                    remaining = r
                    return r
                }
            }
        }
    }

    private func drainZstd(_ stream: OpaquePointer, into output: inout [UInt8], _ step: (inout ZSTD_outBuffer) -> Int) {
        let chunk = ZSTD_CStreamOutSize()
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: chunk))
        let produced = output.withUnsafeMutableBytes { raw -> Int in
            var outBuffer = ZSTD_outBuffer(dst: raw.baseAddress! + start, size: chunk, pos: 0)
            _ = step(&outBuffer)
            return outBuffer.pos
        }
        output.removeLast(chunk - produced)
    }
}
