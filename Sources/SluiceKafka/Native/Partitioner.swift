import CSluiceSystem

/// How a record without an explicit partition is given one: librdkafka's
/// `partitioner` setting, with its names, default and hashes, so that a key lands in
/// the same partition through either produce path.
///
/// A null key under a `*_random` partitioner (and, for `consistent_random`, an empty
/// key too, as librdkafka treats it) goes to a "sticky" partition chosen at random.
/// librdkafka changes that partition every `sticky.partitioning.linger.ms`; the
/// native path changes it for every task batch it is given, so a batch's null-key
/// records form one Kafka batch.
package enum Partitioner: String, Sendable, CaseIterable {
    /// A random partition for every record.
    case random
    /// CRC-32 (zlib's) of the key; a null key hashes as empty (partition 0).
    case consistent
    /// `consistent` for keys, sticky random for null or empty keys (librdkafka's default).
    case consistentRandom = "consistent_random"
    /// MurmurHash2 of the key, as the Java client hashes (null hashes as empty).
    case murmur2
    /// `murmur2` for keys, sticky random for null keys (the Java client's behaviour).
    case murmur2Random = "murmur2_random"
    /// FNV-1a of the key (null hashes as empty).
    case fnv1a
    /// `fnv1a` for keys, sticky random for null keys.
    case fnv1aRandom = "fnv1a_random"

    /// librdkafka's default.
    package static let `default` = Partitioner.consistentRandom

    /// The partitioner named `name`.
    /// - Throws: ``NativeProducerError/invalidSetting(name:value:reason:)`` naming the choices.
    package init(named name: String) throws {
        guard let known = Partitioner(rawValue: name) else {
            throw NativeProducerError.invalidSetting(
                name: "partitioner", value: name,
                reason: "expected one of \(Partitioner.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = known
    }

    /// Whether a record with this key goes to the sticky partition instead of a hash.
    @inline(__always)
    package func isSticky(keyLength: Int32) -> Bool {
        switch self {
        case .random: return true
        case .consistentRandom: return keyLength <= 0
        case .murmur2Random, .fnv1aRandom: return keyLength < 0
        case .consistent, .murmur2, .fnv1a: return false
        }
    }

    /// The partition for a key (`keyLength` -1 for null) among `partitions`, for a
    /// record that is not sticky (see ``isSticky(keyLength:)``).
    @inline(__always)
    package func partition(key: UnsafeRawPointer, keyLength: Int32, partitions: Int32) -> Int32 {
        let bytes = UnsafeRawBufferPointer(start: key, count: Int(max(keyLength, 0)))
        let count = UInt32(partitions)
        switch self {
        case .random:
            return Int32.random(in: 0..<partitions)
        case .consistent, .consistentRandom:
            return Int32(sluice_crc32_ieee(0, bytes.baseAddress, bytes.count) % count)
        case .murmur2, .murmur2Random:
            return Int32((Self.murmur2(bytes) & 0x7fff_ffff) % count)
        case .fnv1a, .fnv1aRandom:
            return Int32(Self.fnv1aMagnitude(bytes) % count)
        }
    }

    /// MurmurHash2 with the Java client's seed (0x9747b28c).
    package static func murmur2(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        let m: UInt32 = 0x5bd1_e995
        let length = bytes.count
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        var at = 0
        while at + 4 <= length {
            var k = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))
            k &*= m
            k ^= k >> 24
            k &*= m
            h &*= m
            h ^= k
            at += 4
        }
        let tail = length - at
        if tail > 0 {
            if tail >= 3 { h ^= UInt32(bytes[at + 2]) << 16 }
            if tail >= 2 { h ^= UInt32(bytes[at + 1]) << 8 }
            h ^= UInt32(bytes[at])
            h &*= m
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return h
    }

    /// FNV-1a (32-bit) of the bytes, made non-negative by negation as librdkafka
    /// does (the hash is a signed 32-bit value there; the most negative stays as is).
    package static func fnv1aMagnitude(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var h = Int32(bitPattern: 0x811c_9dc5)
        for byte in bytes {
            h ^= Int32(byte)
            h = h &* 0x0100_0193
        }
        if h < 0 { h = 0 &- h }
        return UInt32(bitPattern: h)
    }
}
