/// Writes one record's bytes straight into a batch's free arena space, never past its
/// end (``RecordBatch/append(timestampMs:partition:writing:)``).
///
/// A write that does not fit writes nothing and marks the writer ``overflowed``; the
/// writer goes on counting what was asked (``needed``), so the batch can say how large
/// a record that fits nowhere was.
///
/// Ownership rule: the writer points into a batch's arena and is valid only inside the
/// `append(writing:)` call that made it; it owns nothing and must not escape that call.
public struct ArenaWriter {
    @usableFromInline let base: UnsafeMutableRawPointer
    @usableFromInline let capacity: Int
    @usableFromInline var written = 0
    @usableFromInline var asked = 0

    /// Bytes written.
    @inlinable public var count: Int { written }
    /// Bytes asked for, written or not.
    @inlinable public var needed: Int { asked }

    @usableFromInline
    init(base: UnsafeMutableRawPointer, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    /// Whether a write did not fit (the record is then dropped).
    @inlinable public var overflowed: Bool { asked != written }

    /// Writes `byteCount` bytes through `body`, which must initialise exactly that many
    /// at the pointer it gets; when they do not fit, `body` is not called.
    @inlinable
    public mutating func write(byteCount: Int, _ body: (UnsafeMutableRawPointer) -> Void) {
        asked &+= byteCount
        // Nothing more is written once a write did not fit (asked then runs ahead of written).
        guard asked == written &+ byteCount, byteCount <= capacity &- written else { return }
        body(base + written)
        written &+= byteCount
    }

    /// Appends one byte.
    @inlinable
    public mutating func append(_ byte: UInt8) {
        write(byteCount: 1) { $0.storeBytes(of: byte, as: UInt8.self) }
    }

    /// Appends `bytes`.
    @inlinable
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        write(byteCount: bytes.count) { $0.copyMemory(from: source, byteCount: bytes.count) }
    }

    /// Appends the UTF-8 of a literal (`"null"`, `"true"`).
    @inlinable
    public mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append(UnsafeRawBufferPointer($0)) }
    }
}
