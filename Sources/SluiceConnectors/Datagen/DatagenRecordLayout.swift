/// How a datagen record is laid out, so that a reader can prove what arrived.
///
/// - Key: `keyLength` ASCII digits, `sequence % keyCardinality` zero-padded.
/// - Value: `taskID` (UInt32, little-endian), `sequence` (UInt64, little-endian),
///   then filler bytes taken from ``filler`` (lower-case words, so compression
///   ratios resemble text rather than all-zero or random data).
public enum DatagenRecordLayout {
    /// Bytes of the (task, sequence) stamp at the start of every value.
    public static let stampBytes = 12
    /// Digits in every key.
    public static let keyLength = 10

    /// Reads the (task, sequence) stamp of a datagen value, or `nil` when the value
    /// is too short to carry one.
    @inlinable
    public static func stamp(of value: UnsafeRawBufferPointer) -> (taskID: UInt32, sequence: UInt64)? {
        guard value.count >= stampBytes else { return nil }
        let task = UInt32(littleEndian: value.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
        let sequence = UInt64(littleEndian: value.loadUnaligned(fromByteOffset: 4, as: UInt64.self))
        return (task, sequence)
    }

    /// Writes the stamp into the first ``stampBytes`` of `value`.
    @inlinable
    public static func writeStamp(taskID: UInt32, sequence: UInt64, into value: UnsafeMutableRawBufferPointer) {
        value.storeBytes(of: taskID.littleEndian, toByteOffset: 0, as: UInt32.self)
        value.storeBytes(of: sequence.littleEndian, toByteOffset: 4, as: UInt64.self)
    }

    /// Every key a task with `cardinality` keys writes, in the order it writes them.
    public static func keys(cardinality: Int) -> [[UInt8]] {
        (0..<cardinality).map { value in
            let digits = Array(String(value).utf8)
            return [UInt8](repeating: UInt8(ascii: "0"), count: keyLength - digits.count) + digits
        }
    }

    /// 64 KiB of word-like filler, the same in every process (fixed generator seed).
    public static let filler: [UInt8] = {
        let words = [
            "kafka", "record", "stream", "batch", "offset", "sluice", "connect", "topic", "partition",
            "broker", "event", "value", "key", "task", "worker", "source", "sink", "lag", "commit",
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var bytes: [UInt8] = []
        bytes.reserveCapacity(65_536 + 16)
        while bytes.count < 65_536 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes.append(contentsOf: words[Int((state >> 33) % UInt64(words.count))].utf8)
            bytes.append(UInt8(ascii: " "))
        }
        return Array(bytes.prefix(65_536))
    }()
}
