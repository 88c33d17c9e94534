/// Checks that every datagen record of every task arrived exactly once.
///
/// Feed it every consumed value with ``observe(value:)``; ``report(expected:)``
/// compares what was seen with how many records each task wrote. Memory is one bit
/// per expected record.
public struct DatagenVerifier: Sendable {
    /// The outcome of a verification.
    public struct Report: Sendable, Equatable {
        /// Records expected and never seen.
        public var lost: Int
        /// Extra copies of records seen more than once.
        public var duplicates: Int
        /// Values that carry no stamp, or a task or sequence that was not expected.
        public var unexpected: Int
        /// Values seen in all.
        public var seen: Int

        /// Creates a report from its figures.
        public init(lost: Int, duplicates: Int, unexpected: Int, seen: Int) {
            self.lost = lost
            self.duplicates = duplicates
            self.unexpected = unexpected
            self.seen = seen
        }
    }

    private var seenBits: [[UInt64]]
    private var expected: [Int]
    private var duplicates = 0
    private var unexpected = 0
    private var seen = 0

    /// Prepares for tasks `0..<expected.count`, task `i` having written `expected[i]` records.
    public init(expected: [Int]) {
        self.expected = expected
        seenBits = expected.map { [UInt64](repeating: 0, count: ($0 + 63) / 64) }
    }

    /// Accounts for one consumed value.
    public mutating func observe(value: UnsafeRawBufferPointer?) {
        seen += 1
        guard let value, let stamp = DatagenRecordLayout.stamp(of: value),
            Int(stamp.taskID) < expected.count, stamp.sequence < UInt64(expected[Int(stamp.taskID)])
        else {
            unexpected += 1
            return
        }
        let task = Int(stamp.taskID)
        let word = Int(stamp.sequence / 64)
        let bit = UInt64(1) << (stamp.sequence % 64)
        if seenBits[task][word] & bit != 0 {
            duplicates += 1
        } else {
            seenBits[task][word] |= bit
        }
    }

    /// Unique records seen so far.
    public var uniqueSeen: Int { seen - duplicates - unexpected }

    /// The totals.
    public var report: Report {
        let total = expected.reduce(0, +)
        return Report(lost: total - uniqueSeen, duplicates: duplicates, unexpected: unexpected, seen: seen)
    }
}
