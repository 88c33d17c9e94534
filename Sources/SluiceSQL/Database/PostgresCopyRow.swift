/// One row of `COPY … TO STDOUT` text output, split into its columns in place: no
/// allocation per row.
///
/// The text format (PostgreSQL's `COPY` documentation, "Text Format"): columns are
/// separated by a tab, the row ends with a newline, `\N` is NULL, and a backslash
/// escapes `\\`, `\b`, `\f`, `\n`, `\r`, `\t` and `\v` (COPY TO never writes octal or hex
/// escapes, but both are read). Escapes are undone in place, so a column's bytes are
/// what a query's text result would hold for it; `bytea` (hex output, `\x0aff…`) is then
/// decoded to its raw bytes.
///
/// Ownership: the row's bytes belong to the caller (libpq's buffer for the row) and are
/// borrowed from ``parse(_:count:)`` until the next `parse`; the caller keeps them alive
/// and writable for that long and frees them afterwards. The column table and the
/// `bytea` buffers are owned here: the table is sized once for the result's columns,
/// one decode buffer per `bytea` column is allocated on first use and grown for a longer
/// value, all freed in `deinit`.
final class PostgresCopyRow: SQLRow {
    private let columnCount: Int
    private let isBytea: [Bool]
    /// Start offset and length of each column in the row; length -1 for NULL.
    private let starts: UnsafeMutablePointer<Int>
    private let lengths: UnsafeMutablePointer<Int>
    private var base: UnsafeMutablePointer<UInt8>?
    private var decoded: [UnsafeMutableRawBufferPointer]

    init(byteaColumns: [Bool]) {
        columnCount = byteaColumns.count
        isBytea = byteaColumns
        starts = .allocate(capacity: max(columnCount, 1))
        lengths = .allocate(capacity: max(columnCount, 1))
        decoded = Array(repeating: UnsafeMutableRawBufferPointer(start: nil, count: 0), count: columnCount)
    }

    deinit {
        starts.deallocate()
        lengths.deallocate()
        for buffer in decoded { buffer.deallocate() }
    }

    /// Splits the row of `count` bytes at `row` (its final newline included or not) into
    /// its columns and undoes the escapes in place.
    /// - Returns: false when the row does not hold exactly the result's columns.
    func parse(_ row: UnsafeMutablePointer<UInt8>, count: Int) -> Bool {
        base = row
        var end = count
        if end > 0 && row[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        var start = 0
        for column in 0..<columnCount {
            // One pass: to the column's tab, past escapes (the byte after a backslash is data).
            var stop = Self.tabOrBackslash(row, from: start, end: end)
            var escaped = false
            while stop < end && row[stop] == UInt8(ascii: "\\") {
                escaped = true
                stop = Self.tabOrBackslash(row, from: min(stop + 2, end), end: end)
            }
            if column < columnCount - 1 ? stop == end : stop != end { return false }
            starts[column] = start
            if !escaped {
                lengths[column] = stop - start
            } else if stop - start == 2 && row[start + 1] == UInt8(ascii: "N") {
                lengths[column] = -1
            } else {
                lengths[column] = Self.unescape(row + start, count: stop - start)
            }
            start = stop + 1
        }
        return columnCount > 0 || end == 0
    }

    func isNull(_ index: Int) -> Bool { lengths[index] < 0 }

    func bytes(_ index: Int) -> UnsafeRawBufferPointer? {
        guard let base, lengths[index] >= 0 else { return nil }
        let text = UnsafeRawBufferPointer(start: base + starts[index], count: lengths[index])
        return isBytea[index] ? hexDecoded(text, into: index) : text
    }

    /// Undoes COPY's backslash escapes in the `count` bytes at `field`, in place.
    /// - Returns: the unescaped length.
    /// The index of the first tab or backslash in `row[from..<end]`, or `end`: eight
    /// bytes at a time while none is near (the zero-byte word test the JSON scanner uses,
    /// which never misses a hit in a word), then byte by byte.
    @inline(__always)
    private static func tabOrBackslash(_ row: UnsafeMutablePointer<UInt8>, from start: Int, end: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let raw = UnsafeRawPointer(row)
        var index = start
        while index &+ 8 <= end {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let tab = word ^ (ones &* 0x09)
            let backslash = word ^ (ones &* 0x5C)
            if ((tab &- ones) & ~tab | (backslash &- ones) & ~backslash) & highs != 0 { break }
            index &+= 8
        }
        while index < end && row[index] != 0x09 && row[index] != 0x5C { index &+= 1 }
        return index
    }

    private static func unescape(_ field: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        var read = 0
        while read < count && field[read] != UInt8(ascii: "\\") { read += 1 }
        guard read < count else { return count }  // no escape: nothing moves
        var write = read
        while read < count {
            var byte = field[read]
            read += 1
            if byte == UInt8(ascii: "\\") && read < count {
                let escape = field[read]
                read += 1
                switch escape {
                case UInt8(ascii: "b"): byte = 8
                case UInt8(ascii: "f"): byte = 12
                case UInt8(ascii: "n"): byte = 10
                case UInt8(ascii: "r"): byte = 13
                case UInt8(ascii: "t"): byte = 9
                case UInt8(ascii: "v"): byte = 11
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    var value = Int(escape - UInt8(ascii: "0"))
                    for _ in 0..<2 where read < count && (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(field[read]) {
                        value = value * 8 + Int(field[read] - UInt8(ascii: "0"))
                        read += 1
                    }
                    byte = UInt8(truncatingIfNeeded: value)
                case UInt8(ascii: "x") where read < count && nibble(field[read]) != nil:
                    var value = Int(nibble(field[read])!)
                    read += 1
                    if read < count, let low = nibble(field[read]) {
                        value = value * 16 + Int(low)
                        read += 1
                    }
                    byte = UInt8(value)
                default: byte = escape  // `\\` and any other character stands for itself
                }
            }
            field[write] = byte
            write += 1
        }
        return write
    }

    /// `bytea` hex text (`\x0aff…`) as raw bytes in column `index`'s buffer.
    private func hexDecoded(_ text: UnsafeRawBufferPointer, into index: Int) -> UnsafeRawBufferPointer {
        guard text.count >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x") else { return text }
        let count = (text.count - 2) / 2
        if decoded[index].count < count {
            decoded[index].deallocate()
            decoded[index] = .allocate(byteCount: max(count, 2 * decoded[index].count, 64), alignment: 1)
        }
        let buffer = decoded[index]
        for i in 0..<count {
            buffer[i] = (Self.nibble(text[2 + 2 * i]) ?? 0) << 4 | (Self.nibble(text[3 + 2 * i]) ?? 0)
        }
        return UnsafeRawBufferPointer(rebasing: buffer[0..<count])
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }
}
