import CLZ4
import CZstd

/// The compression of a native produce path's record batches: Kafka's codec ids
/// for the codecs Sluice writes itself. gzip and snappy stay with librdkafka
/// (``ProducerPath``).
package enum WireCodec: Int16, Sendable, CaseIterable {
    /// No compression: the records section is sent as written.
    case none = 0
    /// LZ4 frame format (Kafka's codec 3).
    case lz4 = 3
    /// zstd frame format (Kafka's codec 4; needs Produce v7 or later).
    case zstd = 4

    /// The codec `compression.type`/`compression.codec` names, or nil for one the
    /// native path does not write (gzip, snappy) or an unknown name.
    package init?(name: String) {
        switch name.lowercased() {
        case "none", "": self = .none
        case "lz4": self = .lz4
        case "zstd": self = .zstd
        default: return nil
        }
    }
}

/// One reusable compression context per codec.
///
/// Ownership rule: the compressor owns its native context and frees it in `deinit`;
/// one thread uses it at a time (the produce thread).
package final class WireCompressor {
    package let codec: WireCodec
    private let level: Int32
    private var lz4: OpaquePointer?  // LZ4F_cctx*
    private var zstd: OpaquePointer?  // ZSTD_CCtx*

    /// - Parameter level: `compression.level`; -1 for the codec's default.
    package init(codec: WireCodec, level: Int) {
        self.codec = codec
        self.level = Int32(level)
        switch codec {
        case .none: break
        case .lz4: _ = LZ4F_createCompressionContext(&lz4, UInt32(LZ4F_VERSION))
        case .zstd: zstd = ZSTD_createCCtx()
        }
    }

    deinit {
        if let lz4 { LZ4F_freeCompressionContext(lz4) }
        if let zstd { ZSTD_freeCCtx(zstd) }
    }

    /// The most bytes compressing `size` bytes can produce.
    package func bound(_ size: Int) -> Int {
        switch codec {
        case .none: return size
        case .lz4:
            var preferences = lz4Preferences()
            return LZ4F_compressFrameBound(size, &preferences)
        case .zstd: return ZSTD_compressBound(size)
        }
    }

    /// Compresses `source` into `destination` (at least ``bound(_:)`` bytes).
    /// - Returns: the compressed size.
    /// - Throws: ``NativeProducerError/compressionFailed(codec:reason:)``.
    package func compress(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) throws -> Int {
        switch codec {
        case .none:
            destination.baseAddress!.copyMemory(from: source.baseAddress!, byteCount: source.count)
            return source.count
        case .lz4:
            var preferences = lz4Preferences()
            var written = 0
            for step in 0..<3 {
                let out = destination.baseAddress! + written
                let room = destination.count - written
                let result: Int
                switch step {
                case 0: result = LZ4F_compressBegin(lz4, out, room, &preferences)
                case 1: result = LZ4F_compressUpdate(lz4, out, room, source.baseAddress, source.count, nil)
                default: result = LZ4F_compressEnd(lz4, out, room, nil)
                }
                if LZ4F_isError(result) != 0 {
                    throw NativeProducerError.compressionFailed(codec: "lz4", reason: String(cString: LZ4F_getErrorName(result)))
                }
                written += result
            }
            return written
        case .zstd:
            let written = ZSTD_compressCCtx(
                zstd, destination.baseAddress, destination.count, source.baseAddress, source.count,
                level < 0 ? ZSTD_CLEVEL_DEFAULT : level)
            if ZSTD_isError(written) != 0 {
                throw NativeProducerError.compressionFailed(codec: "zstd", reason: String(cString: ZSTD_getErrorName(written)))
            }
            return written
        }
    }

    /// Independent 64 KiB blocks, no content size or checksum: the frame every
    /// Kafka consumer (Java's KafkaLZ4BlockInputStream included) reads.
    private func lz4Preferences() -> LZ4F_preferences_t {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockSizeID = LZ4F_max64KB
        preferences.frameInfo.blockMode = LZ4F_blockIndependent
        preferences.compressionLevel = level < 0 ? 0 : level
        return preferences
    }
}
