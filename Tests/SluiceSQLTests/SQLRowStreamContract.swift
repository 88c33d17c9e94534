import Testing

@testable import SluiceSQL

/// What every backend's ``SQLRowStream`` must do, checked against a connection whose
/// table `numbers (id, label)` holds ids `1...count` with labels `n-<id>`.
enum SQLRowStreamContract {
    struct Refused: Error {}

    static func check(_ db: any SQLDatabase, count: Int) throws {
        let p1 = db.dialect.placeholder(1)
        let select = "SELECT id, label FROM numbers WHERE id > \(p1) ORDER BY id"

        // Pages of 300 over several reads: the row a read refused comes first in the next.
        let rows = try db.stream(select, parameters: [.int64(0)], fetchSize: 100)
        #expect(rows.columns.map(\.name) == ["id", "label"])
        var ids: [Int] = []
        var reads = 0
        var open = true
        while open {
            var page = 0
            open = try rows.read { row in
                guard page < 300 else { return false }
                page += 1
                let id = Int(String(decoding: row.bytes(0)!, as: UTF8.self))!
                #expect(row.bytes(1).map { String(decoding: $0, as: UTF8.self) } == "n-\(id)")
                ids.append(id)
                return true
            }
            reads += 1
            if open { #expect(page == 300) }
        }
        #expect(ids == Array(1...count), "every row once, in order, across \(reads) reads")
        #expect(reads == count / 300 + 1)
        #expect(try rows.read { _ in Issue.record("a row after the end"); return true } == false, "an ended stream stays ended")
        rows.close()
        #expect(try db.now().milliseconds > 0, "the connection is free once the rows ended")

        // Closed early: the rest is dropped, the connection runs the next statement, and
        // the closed stream refuses to read.
        let early = try db.stream(select, parameters: [.int64(0)], fetchSize: 100)
        var seen = 0
        #expect(try early.read { _ in seen += 1; return seen < 10 })
        early.close()
        #expect(try countRows(db) == count)
        #expect(throws: SQLError.self) { _ = try early.read { _ in true } }

        // Another statement on the connection ends an open stream first.
        let interrupted = try db.stream(select, parameters: [.int64(0)], fetchSize: 100)
        #expect(try interrupted.read { _ in false })
        _ = try db.now()
        #expect(throws: SQLError.self) { _ = try interrupted.read { _ in true } }
        #expect(try countRows(db) == count)

        // An empty result still has its columns, and ends at the first read.
        let empty = try db.stream(select, parameters: [.int64(Int64(count))], fetchSize: 100)
        #expect(empty.columns.map(\.name) == ["id", "label"])
        #expect(try empty.read { _ in Issue.record("a row in an empty result"); return true } == false)

        // What the callback throws comes out of read; closing then frees the connection.
        let failing = try db.stream(select, parameters: [.int64(0)], fetchSize: 100)
        #expect(throws: Refused.self) { _ = try failing.read { _ in throw Refused() } }
        failing.close()
        #expect(try countRows(db) == count)
    }

    /// The table's rows, counted by a query read to its end.
    private static func countRows(_ db: any SQLDatabase) throws -> Int {
        var total = -1
        try db.query("SELECT COUNT(*) FROM numbers", parameters: [], fetchSize: 1, columns: { _ in }) { row in
            total = Int(String(decoding: row.bytes(0)!, as: UTF8.self))!
            return true
        }
        return total
    }
}
