import CLZ4
import CZstd

/// Streaming decompression of LZ4 and zstd frames (several concatenated frames too).
///
/// Memory: the decoder owns its native context and frees it in `deinit`.
final class FrameDecoder {
    private enum Context {
        case none
        case lz4(OpaquePointer)  // LZ4F_dctx*
        case zstd(OpaquePointer)  // ZSTD_DStream*
    }

    private var context: Context
    let compression: FileCompression
    /// Whether the last call ended exactly at a frame boundary.
    private(set) var atFrameBoundary = true

    init(_ compression: FileCompression) {
        self.compression = compression
        switch compression {
        case .none:
            context = .none
        case .lz4:
            var dctx: OpaquePointer?
            _ = LZ4F_createDecompressionContext(&dctx, UInt32(LZ4F_VERSION))
            context = .lz4(dctx!)
        case .zstd:
            context = .zstd(ZSTD_createDStream())
            if case let .zstd(stream) = context { ZSTD_initDStream(stream) }
        }
    }

    deinit {
        switch context {
        case .none: break
        case let .lz4(dctx): LZ4F_freeDecompressionContext(dctx)
        case let .zstd(stream): ZSTD_freeDStream(stream)
        }
    }

    /// Decodes from `input` into `output`.
    /// - Returns: bytes consumed from `input` and produced into `output`.
    /// - Throws: the codec's message for corrupt input.
    func decode(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) throws -> (consumed: Int, produced: Int) {
        switch context {
        case .none:
            let n = min(input.count, output.count)
            if n > 0 { output.baseAddress!.copyMemory(from: input.baseAddress!, byteCount: n) }
            return (n, n)
        case let .lz4(dctx):
            var outSize = output.count
            var inSize = input.count
            let hint = LZ4F_decompress(dctx, output.baseAddress, &outSize, input.baseAddress, &inSize, nil)
            if LZ4F_isError(hint) != 0 {
                throw DecodeFailure(reason: String(cString: LZ4F_getErrorName(hint)))
            }
            atFrameBoundary = hint == 0
            return (inSize, outSize)
        case let .zstd(stream):
            var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
            var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
            let result = ZSTD_decompressStream(stream, &outBuffer, &inBuffer)
            if ZSTD_isError(result) != 0 {
                throw DecodeFailure(reason: String(cString: ZSTD_getErrorName(result)))
            }
            atFrameBoundary = result == 0
            return (inBuffer.pos, outBuffer.pos)
        }
    }

    struct DecodeFailure: Error {
        let reason: String
    }
}
