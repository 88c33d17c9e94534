/// Finds the bytes a JSON string cannot hold as they are — `"`, `\` and control
/// characters below 0x20 — eight bytes at a time, so the reader and the writer skip
/// clean text in bulk instead of testing every byte.
enum JSONScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether any byte of `word` is `"`, `\` or below 0x20. Exact: each test is the
    /// classic "has a zero byte" / "has a byte less than n" word trick (n ≤ 128),
    /// which can misplace a hit inside the word but never invents or misses one.
    @inline(__always)
    static func hasSpecial(_ word: UInt64) -> Bool {
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let quoteZero = (quote &- ones) & ~quote
        let backslashZero = (backslash &- ones) & ~backslash
        let control = (word &- ones &* 0x20) & ~word
        return (quoteZero | backslashZero | control) & highs != 0
    }

    @inline(__always)
    static func isSpecial(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// The index of the first special byte at or after `start`, or `bytes.count`.
    @inline(__always)
    static func firstSpecial(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        let count = bytes.count
        while index &+ 8 <= count {
            if hasSpecial(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) { break }
            index &+= 8
        }
        while index < count {
            if isSpecial(bytes[index]) { return index }
            index &+= 1
        }
        return count
    }
}
