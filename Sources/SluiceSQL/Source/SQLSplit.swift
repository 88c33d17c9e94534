import SluiceRuntime

/// One part of a table split over several tasks (incrementing and bulk modes, when
/// `tasks.max` exceeds the tables), by the integer column ``column(mode:incrementing:description:)``
/// names; `split.strategy` chooses how:
///
/// - ``range(after:through:)`` (`range`, the default): the rows whose value lies in
///   one range of the column, the ranges cutting `MIN..MAX` (as the connector found
///   them) into equal widths; the first range has no lower end and the last no upper
///   end, so rows added later (higher values) belong to the last part. Each part's
///   query walks only its own stretch of the index.
/// - ``remainder(part:parts:)`` (`remainder`): the rows whose value modulo `parts` is
///   `part`. Rows added later spread over every part, but each part's query walks the
///   whole index, skipping the other parts' rows.
///
/// Each part is its own source partition, `{"protocol": "1", "table": ..., "split": "<description>"}`,
/// with its own offset in incrementing mode.
enum SQLSplit: Hashable, CustomStringConvertible {
    /// The rows whose value modulo `parts` (2 or more) is `part`.
    case remainder(part: Int, parts: Int)
    /// The rows whose value is above `after` (nil: no lower end) and at most
    /// `through` (nil: no upper end); never both nil.
    case range(after: Int64?, through: Int64?)

    /// A remainder part, or nil when `part` is not one of `parts` (2 or more).
    init?(part: Int, parts: Int) {
        guard parts >= 2, part >= 0, part < parts else { return nil }
        self = .remainder(part: part, parts: parts)
    }

    /// A part as ``description`` writes it: `part/parts`, or a range `(after,through]`
    /// with either end empty.
    init?(text: String) {
        if text.hasPrefix("("), text.hasSuffix("]") || text.hasSuffix(")") {
            let inner = text.dropFirst().dropLast()
            let ends = inner.split(separator: ",", omittingEmptySubsequences: false)
            guard ends.count == 2 else { return nil }
            let after = ends[0].isEmpty ? nil : Int64(ends[0])
            let through = ends[1].isEmpty ? nil : Int64(ends[1])
            guard after != nil || through != nil, ends[0].isEmpty || after != nil, ends[1].isEmpty || through != nil,
                (through == nil) == text.hasSuffix(")")
            else { return nil }
            if let after, let through, after >= through { return nil }
            self = .range(after: after, through: through)
            return
        }
        let pieces = text.split(separator: "/")
        guard pieces.count == 2, let part = Int(pieces[0]), let parts = Int(pieces[1]) else { return nil }
        self.init(part: part, parts: parts)
    }

    /// `part/parts`, or `(after,through]` (`(after,)` without an upper end), as task
    /// configs and partition names carry it.
    var description: String {
        switch self {
        case let .remainder(part, parts): return "\(part)/\(parts)"
        case let .range(after, through): return "(\(after.map(String.init) ?? ""),\(through.map(String.init) ?? "")" + (through == nil ? ")" : "]")
        }
    }

    /// The column a table of `description` is split by in `mode`: the incrementing
    /// column (`incrementing`, or the auto-increment column when empty), or in bulk mode
    /// the primary key when it is one column; nil when there is none (no split).
    static func column(mode: SQLSourceMode, incrementing: String, description: SQLTableDescription) -> String? {
        switch mode {
        case .incrementing: return incrementing.isEmpty ? description.autoIncrement : incrementing
        case .bulk: return description.primaryKey.count == 1 ? description.primaryKey[0] : nil
        case .timestamp, .timestampIncrementing: return nil
        }
    }

    /// The SQL condition that keeps this part's rows of `column` (quoted); negative
    /// values land in a part too.
    func condition(_ column: String) -> String {
        switch self {
        case let .remainder(part, parts):
            return "((\(column) % \(parts)) + \(parts)) % \(parts) = \(part)"
        case let .range(after, through):
            return [after.map { "\(column) > \($0)" }, through.map { "\(column) <= \($0)" }].compactMap { $0 }.joined(separator: " AND ")
        }
    }

    /// The parts of a table split into `count` (2 or more) by `strategy`, whose column
    /// holds values from `low` to `high` (range parts cut that span into equal widths;
    /// fewer than `count` when there are fewer values, none when there is one).
    static func parts(_ count: Int, strategy: SQLSplitStrategy, low: Int64, high: Int64) -> [SQLSplit] {
        switch strategy {
        case .remainder:
            return (0..<count).compactMap { SQLSplit(part: $0, parts: count) }
        case .range:
            let width = Int128(high) - Int128(low) + 1
            // The last value of each range but the last: low - 1 + width * i / count. A
            // range that would hold no value of low...high (more parts than values) is left
            // out, so there may be fewer parts than asked.
            var cuts: [Int64] = []
            for index in 1..<count {
                let cut = Int128(low) - 1 + width * Int128(index) / Int128(count)
                guard cut >= Int128(low), cuts.last.map({ cut > Int128($0) }) ?? true else { continue }
                cuts.append(Int64(cut))
            }
            guard !cuts.isEmpty else { return [] }
            var parts: [SQLSplit] = []
            var after: Int64?
            for cut in cuts {
                parts.append(.range(after: after, through: cut))
                after = cut
            }
            parts.append(.range(after: after, through: nil))
            return parts
        }
    }

    /// How many parts each table gets when `tasks` tasks share tables whose
    /// incrementing values span `spans` (0: empty or not splittable): one each, and
    /// each spare task to the table with the most values per part, so the largest
    /// tables are split first. Empty when there are no spare tasks.
    static func partCounts(spans: [Int64], tasks: Int) -> [Int] {
        var counts = Array(repeating: 1, count: spans.count)
        guard tasks > spans.count else { return counts }
        for _ in 0..<(tasks - spans.count) {
            var best: Int?
            for index in spans.indices where Int64(counts[index]) < spans[index] {
                // The most values per part wins; the first table wins a tie.
                if let current = best, spans[index] / Int64(counts[index]) <= spans[current] / Int64(counts[current]) { continue }
                best = index
            }
            guard let best else { break }
            counts[best] += 1
        }
        return counts
    }

    /// Where a table's reader (one part, or the whole table when `split` is nil)
    /// starts in incrementing mode: the highest value up to which every row it is to
    /// read is known to be read. That is its own offset, or the end of the stretch,
    /// from its lower end, that the stored offsets of the table cover together: the
    /// whole table's offset `o` covers values up to `o`, a range part's covers its range
    /// up to its offset, and a remainder split whose parts all have offsets covers
    /// values up to the lowest of them. So a changed split reads again only rows
    /// between the old parts' offsets and ends, never loses one.
    static func start(table: String, split: SQLSplit?, offsets: [String: SourceOffset]) -> Int64? {
        var own: Int64?
        var covered: [(after: Int64?, through: Int64)] = []
        var families: [Int: [Int: Int64]] = [:]
        for (name, offset) in offsets {
            let object = SourcePartitionName.object(name)
            guard object["table"] as? String == table, let value = offset["incrementing"] else { continue }
            let piece = (object["split"] as? String).flatMap(SQLSplit.init(text:))
            if object["split"] != nil && piece == nil { continue }
            if piece == split { own = value }
            switch piece {
            case nil: covered.append((nil, value))
            case let .remainder(part, parts)?: families[parts, default: [:]][part] = value
            case let .range(after, through)?:
                let end = through.map { min($0, value) } ?? value
                if after.map({ end > $0 }) ?? true { covered.append((after, end)) }
            }
        }
        for (parts, values) in families where values.count == parts {
            if let lowest = values.values.min() { covered.append((nil, lowest)) }
        }
        // Walk the covered stretches from the reader's lower end.
        var reach: Int64?
        if case let .range(after, _)? = split { reach = after }
        let from = reach
        var moved = true
        while moved {
            moved = false
            for stretch in covered where Self.starts(stretch.after, atOrBefore: reach) && Self.below(reach, stretch.through) {
                reach = stretch.through
                moved = true
            }
        }
        let candidates = [own, reach == from ? nil : reach].compactMap { $0 }
        return candidates.max() ?? from
    }

    /// Whether a stretch beginning above `after` (nil: from the lowest value) begins no
    /// later than `point` (nil: the lowest value), leaving no gap.
    private static func starts(_ after: Int64?, atOrBefore point: Int64?) -> Bool {
        guard let after else { return true }
        guard let point else { return false }
        return after <= point
    }

    /// Whether `point` (nil: below every value) is below `value`.
    private static func below(_ point: Int64?, _ value: Int64) -> Bool {
        point.map { $0 < value } ?? true
    }
}
