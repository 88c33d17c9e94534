import SluiceRuntime

/// One part of a table split over several tasks (incrementing mode, when `tasks.max`
/// exceeds the tables): the rows whose incrementing value modulo `parts` is `part`.
///
/// A split by the value's remainder stays the same as the table grows, so a part's
/// offset keeps its meaning from poll to poll and across table rechecks; ranges of
/// the value would move with the table's bounds. Each part is its own source
/// partition, `{"protocol": "1", "table": ..., "split": "part/parts"}`.
struct SQLSplit: Hashable, CustomStringConvertible {
    /// This part, `0..<parts`.
    let part: Int
    /// How many parts the table is split into (2 or more).
    let parts: Int

    init?(part: Int, parts: Int) {
        guard parts >= 2, part >= 0, part < parts else { return nil }
        self.part = part
        self.parts = parts
    }

    /// `part/parts`, as task configs and partition names carry it.
    init?(text: String) {
        let pieces = text.split(separator: "/")
        guard pieces.count == 2, let part = Int(pieces[0]), let parts = Int(pieces[1]) else { return nil }
        self.init(part: part, parts: parts)
    }

    var description: String { "\(part)/\(parts)" }

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
        "((\(column) % \(parts)) + \(parts)) % \(parts) = \(part)"
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
    /// read is known to be read. That is its own offset, or the lowest offset of any
    /// split of the table whose parts all have one (every row up to it was read), the
    /// whole table's offset counting as a split into one part. So a changed split
    /// reads again only the rows between the old parts' offsets, never loses one.
    static func start(table: String, split: SQLSplit?, offsets: [String: SourceOffset]) -> Int64? {
        var own: Int64?
        var families: [Int: [Int: Int64]] = [:]
        for (name, offset) in offsets {
            let object = SourcePartitionName.object(name)
            guard object["table"] as? String == table, let value = offset["incrementing"] else { continue }
            let piece = (object["split"] as? String).flatMap(SQLSplit.init(text:))
            if object["split"] != nil && piece == nil { continue }
            if piece == split { own = value }
            families[piece?.parts ?? 1, default: [:]][piece?.part ?? 0] = value
        }
        var candidates = own.map { [$0] } ?? []
        for (parts, values) in families where values.count == parts {
            if let lowest = values.values.min() { candidates.append(lowest) }
        }
        return candidates.max()
    }
}
