import Foundation
import SluiceRuntime
import Testing

@testable import SluiceSQL

/// One table split over spare tasks by ``SQLSplit`` (incrementing mode), on SQLite.
@Suite("SQL source: a table split over several tasks")
struct SQLSplitTests {
    private static func config(_ file: SQLiteFile, _ extra: [String: String] = [:]) -> [String: String] {
        var config = [
            "name": "split", "connection.url": file.url, "mode": "incrementing", "topic.prefix": "s-",
            "poll.interval.ms": "1", "batch.max.rows": "500", "value.converter.schemas.enable": "false",
        ]
        for (key, value) in extra { config[key] = value }
        return config
    }

    /// A new SQLite file with table `orders` (id auto-increment) of `rows` rows.
    private static func orders(_ rows: Int) throws -> SQLiteFile {
        let file = try SQLiteFile()
        try file.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)")
        try add(rows, to: file)
        return file
    }

    /// Appends `rows` rows to `file`'s `orders`.
    private static func add(_ rows: Int, to file: SQLiteFile) throws {
        try file.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(rows)) INSERT INTO orders (v) SELECT 'n' || i FROM n")
    }

    private func parts(_ connector: SQLSourceConnector, tasks: Int) -> [[String]] {
        connector.taskConfigs(maxTasks: tasks).map { task in
            SQLSourceTask.decodeParts(task[SQLSourceTask.tablesKey] ?? "").map { "\($0.table.name)" + ($0.split.map { " \($0)" } ?? "") }
        }
    }

    /// Runs one task per config over `file` with `offsets`, drains each, and returns
    /// the ids each read and every offset stored.
    private func run(_ configs: [[String: String]], offsets: [String: SourceOffset]) throws -> (ids: [[Int]], offsets: [String: SourceOffset]) {
        var stored = offsets
        var ids: [[Int]] = []
        for config in configs {
            let harness = try SQLTaskHarness(config: config, offsets: offsets)
            ids.append(try harness.drain().compactMap { $0.payload["id"] as? Int })
            stored.merge(harness.offsets) { $1 }
        }
        return (ids, stored)
    }

    @Test("spare tasks go to the largest tables; empty or one-row tables and other modes are not split")
    func partsOfTables() throws {
        let file = try SQLiteFile()
        try file.execute(
            """
            CREATE TABLE big (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
            CREATE TABLE small (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
            CREATE TABLE empty (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO big (v) SELECT 'b' || i FROM n;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) INSERT INTO small (v) SELECT 's' || i FROM n;
            """)
        let connector = SQLSourceConnector()
        try connector.start(config: Self.config(file))
        #expect(parts(connector, tasks: 3) == [["big"], ["empty"], ["small"]])
        // By default, equal ranges of the column between MIN and MAX; the last has no upper end.
        #expect(parts(connector, tasks: 5) == [["big (,1000]"], ["big (1000,2000]"], ["big (2000,)"], ["empty"], ["small"]])
        #expect(parts(connector, tasks: 7) == [
            ["big (,750]"], ["big (750,1500]"], ["big (1500,2250]"], ["big (2250,)"], ["empty"], ["small (,500]"], ["small (500,)"],
        ])
        try connector.start(config: Self.config(file, ["split.strategy": "remainder"]))
        #expect(parts(connector, tasks: 5) == [["big 0/3"], ["big 1/3"], ["big 2/3"], ["empty"], ["small"]])
        #expect(parts(connector, tasks: 7) == [["big 0/4"], ["big 1/4"], ["big 2/4"], ["big 3/4"], ["empty"], ["small 0/2"], ["small 1/2"]])
        // Bulk mode splits by the primary key (one integer column) in the same way; timestamp modes do not split.
        try connector.start(config: Self.config(file, ["mode": "bulk", "split.strategy": "remainder"]))
        #expect(parts(connector, tasks: 7) == [["big 0/4"], ["big 1/4"], ["big 2/4"], ["big 3/4"], ["empty"], ["small 0/2"], ["small 1/2"]])
        try connector.start(config: Self.config(file, ["mode": "timestamp", "timestamp.column.name": "v"]))
        #expect(parts(connector, tasks: 7).count == 3)
        #expect(SQLSplit.partCounts(spans: [1, 0], tasks: 6) == [1, 1])
    }

    @Test("remainder parts read every row once between them; a changed split and a return to one task start from what the old parts had all read")
    func splitAndResplit() throws {
        let file = try Self.orders(3000)
        let connector = SQLSourceConnector()
        try connector.start(config: Self.config(file, ["split.strategy": "remainder"]))
        let three = connector.taskConfigs(maxTasks: 3)
        #expect(three.count == 3)
        let first = try run(three, offsets: [:])
        for (part, ids) in first.ids.enumerated() {
            #expect(ids == ids.sorted() && ids.allSatisfy { $0 % 3 == part }, "part \(part)")
        }
        #expect(first.ids.flatMap { $0 }.sorted() == Array(1...3000))
        #expect(first.offsets.count == 3)
        #expect(first.offsets.keys.allSatisfy { $0.contains(#""split":""#) })

        // Two parts now, and 100 new rows: the parts start at 2998, the lowest offset of the three (parts 0, 1 and 2 ended at 3000, 2998, 2999).
        try Self.add(100, to: file)
        let two = try run(connector.taskConfigs(maxTasks: 2), offsets: first.offsets)
        #expect(two.ids.flatMap { $0 }.sorted() == Array(2999...3100))

        // One task again: its start is the lowest offset of the two parts (3099; parts 0 and 1 ended at 3100 and 3099).
        try file.execute("INSERT INTO orders (v) VALUES ('last')")
        let one = try run(connector.taskConfigs(maxTasks: 1), offsets: two.offsets)
        #expect(one.ids == [[3100, 3101]])
    }

    @Test("bulk mode: the parts of a table split by its primary key read every row once between them in a round; a key of two columns is not split",
          arguments: ["range", "remainder"])
    func bulkParts(strategy: String) throws {
        let file = try SQLiteFile()
        try file.execute(
            """
            CREATE TABLE items (sku INTEGER PRIMARY KEY, v TEXT);
            CREATE TABLE pairs (a INTEGER, b INTEGER, v TEXT, PRIMARY KEY (a, b));
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200) INSERT INTO items SELECT i * 7, 'i' || i FROM n;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO pairs SELECT i, i, 'p' || i FROM n;
            """)
        let connector = SQLSourceConnector()
        try connector.start(config: Self.config(file, ["mode": "bulk", "poll.interval.ms": "60000", "split.strategy": strategy]))
        let configs = connector.taskConfigs(maxTasks: 4)
        let expected = strategy == "range"
            ? [["items (,2804]"], ["items (2804,5602]"], ["items (5602,)"], ["pairs"]] : [["items 0/3"], ["items 1/3"], ["items 2/3"], ["pairs"]]
        #expect(parts(connector, tasks: 4) == expected)
        var skus: [[Int]] = []
        for config in configs.prefix(3) {
            let harness = try SQLTaskHarness(config: config)
            skus.append(try harness.drain().compactMap { $0.payload["sku"] as? Int })
            #expect(harness.offsets.isEmpty, "bulk mode stores no offsets")
        }
        let ranges = [Int.min...2804, 2805...5602, 5603...Int.max]
        for (part, keys) in skus.enumerated() {
            let inPart = strategy == "range" ? keys.allSatisfy { ranges[part].contains($0) } : keys.allSatisfy { $0 % 3 == part }
            #expect(!keys.isEmpty && keys == keys.sorted() && inPart, "part \(part)")
        }
        #expect(skus.flatMap { $0 }.sorted() == (1...1200).map { $0 * 7 })
    }

    @Test("bulk mode: a split table whose primary key became two columns fails the task's start with a clear error")
    func bulkSplitKeyChanged() throws {
        let file = try SQLiteFile()
        try file.execute(
            """
            CREATE TABLE items (sku INTEGER PRIMARY KEY, v TEXT);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) INSERT INTO items SELECT i, 'i' || i FROM n;
            """)
        let connector = SQLSourceConnector()
        try connector.start(config: Self.config(file, ["mode": "bulk"]))
        let configs = connector.taskConfigs(maxTasks: 2)
        #expect(parts(connector, tasks: 2) == [["items (,50]"], ["items (50,)"]])
        try file.execute("DROP TABLE items; CREATE TABLE items (sku INTEGER, shop INTEGER, v TEXT, PRIMARY KEY (sku, shop))")
        let error = #expect(throws: SQLError.self) { _ = try SQLTaskHarness(config: configs[0]) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("no longer one column"))
    }

    @Test("a part's own offset wins over an older, lower prefix; an incomplete split does not count")
    func startRule() throws {
        func name(_ split: String?) -> String {
            var object: [String: Any] = ["protocol": "1", "table": "db.orders"]
            if let split { object["split"] = split }
            return SourcePartitionName.text(object) ?? ""
        }
        let offsets = [
            name(nil): SourceOffset(["incrementing": 100]),
            name("0/2"): SourceOffset(["incrementing": 500]), name("1/2"): SourceOffset(["incrementing": 401]),
            name("0/3"): SourceOffset(["incrementing": 900]),
        ]
        #expect(SQLSplit.start(table: "db.orders", split: SQLSplit(part: 0, parts: 2), offsets: offsets) == 500)
        #expect(SQLSplit.start(table: "db.orders", split: SQLSplit(part: 1, parts: 3), offsets: offsets) == 401)
        #expect(SQLSplit.start(table: "db.orders", split: nil, offsets: offsets) == 401)
        #expect(SQLSplit.start(table: "db.other", split: nil, offsets: offsets) == nil)

        // Ranges: each covers its own stretch up to its offset; a reader starts at the end
        // of the stretch covered without a gap from its lower end.
        let ranges = [
            name("(,1000]"): SourceOffset(["incrementing": 1000]), name("(1000,2000]"): SourceOffset(["incrementing": 1500]),
            name("(2000,)"): SourceOffset(["incrementing": 3000]),
        ]
        #expect(SQLSplit.start(table: "db.orders", split: nil, offsets: ranges) == 1500, "the gap (1500, 2000] is not known to be read")
        #expect(SQLSplit.start(table: "db.orders", split: .range(after: nil, through: 1200), offsets: ranges) == 1500)
        #expect(SQLSplit.start(table: "db.orders", split: .range(after: 1600, through: 2400), offsets: ranges) == 1600, "nothing known: its lower end")
        #expect(SQLSplit.start(table: "db.orders", split: .range(after: 2000, through: nil), offsets: ranges) == 3000)
        #expect(SQLSplit.start(table: "db.orders", split: .range(after: 1000, through: 2000), offsets: ranges) == 1500, "its own offset")
        // A whole-table offset covers everything up to it, ranges included.
        #expect(SQLSplit.start(table: "db.orders", split: .range(after: 500, through: 900), offsets: [name(nil): SourceOffset(["incrementing": 700])]) == 700)
    }

    @Test("range parts cover every value once, at the ends of Int64 too; more parts than values give fewer parts, none empty")
    func rangeEdges() {
        #expect(SQLSplit.parts(2, strategy: .range, low: Int64.min, high: Int64.min + 1) == [
            .range(after: nil, through: Int64.min), .range(after: Int64.min, through: nil),
        ])
        #expect(SQLSplit.parts(2, strategy: .range, low: Int64.min, high: Int64.max) == [.range(after: nil, through: -1), .range(after: -1, through: nil)])
        #expect(SQLSplit.parts(3, strategy: .range, low: Int64.max - 1, high: Int64.max) == [
            .range(after: nil, through: Int64.max - 1), .range(after: Int64.max - 1, through: nil),
        ])
        #expect(SQLSplit.parts(3, strategy: .range, low: Int64.min, high: Int64.min).isEmpty, "one value: no split")
        #expect(SQLSplit.parts(4, strategy: .range, low: 1, high: 10) == [
            .range(after: nil, through: 2), .range(after: 2, through: 5), .range(after: 5, through: 7), .range(after: 7, through: nil),
        ])
    }

    @Test("split texts read back as written; malformed ones are refused", arguments: [
        ("3/4", "3/4"), ("(,10]", "(,10]"), ("(-5,10]", "(-5,10]"), ("(10,)", "(10,)"),
        ("4/4", nil), ("(,)", nil), ("(10,5]", nil), ("(a,5]", nil), ("(5,10)", nil), ("(5,]", nil), ("5,10", nil),
    ] as [(String, String?)])
    func texts(text: String, expected: String?) {
        #expect(SQLSplit(text: text)?.description == expected)
    }

    @Test("range parts read every row once, each only its own range; rows added later go to the last part; a resplit reads each row once more at most")
    func rangeParts() throws {
        let file = try Self.orders(3000)
        let connector = SQLSourceConnector()
        try connector.start(config: Self.config(file))
        let first = try run(connector.taskConfigs(maxTasks: 3), offsets: [:])
        #expect(first.ids == [Array(1...1000), Array(1001...2000), Array(2001...3000)])

        // 150 new rows: the running parts' last one reads them.
        try Self.add(150, to: file)
        let again = try run(connector.taskConfigs(maxTasks: 3), offsets: first.offsets)
        #expect(again.ids == [[], [], Array(3001...3150)])

        // Two parts now: new ranges over 1...3150, started where the old ones had read: nothing again.
        try connector.start(config: Self.config(file))
        let two = try run(connector.taskConfigs(maxTasks: 2), offsets: again.offsets)
        #expect(two.ids.flatMap { $0 }.isEmpty, "\(two.ids.map(\.count))")
        try file.execute("INSERT INTO orders (v) VALUES ('last')")
        let one = try run(connector.taskConfigs(maxTasks: 1), offsets: two.offsets)
        #expect(one.ids == [[3151]])
    }

    @Test("a recheck keeps the running ranges of a table that grew; other part counts and strategies get new ones")
    func rangesKept() throws {
        let file = try Self.orders(3000)
        let connector = SQLSourceConnector()
        try connector.start(config: Self.config(file))
        let running = connector.taskConfigs(maxTasks: 3)
        try Self.add(600, to: file)
        let fresh = SQLSourceConnector()
        try fresh.start(config: Self.config(file))
        #expect(fresh.taskConfigs(maxTasks: 3, running: running) == running, "the table grew; its ranges stay")
        #expect(fresh.taskConfigs(maxTasks: 3, running: []) != running, "without running tasks the ranges follow the table")
        #expect(parts(fresh, tasks: 3) == [["orders (,1200]"], ["orders (1200,2400]"], ["orders (2400,)"]])
        #expect(fresh.taskConfigs(maxTasks: 2, running: running).count == 2)
        #expect(fresh.taskConfigs(maxTasks: 2, running: running) == fresh.taskConfigs(maxTasks: 2), "another part count: new ranges")
        // The runtime calls it through the protocol (MonitoringConnectorTests: the running configs reach it).
        let monitoring: any MonitoringConnector = fresh
        #expect(monitoring.taskConfigs(maxTasks: 3, running: running) == running)
        let remainder = SQLSourceConnector()
        try remainder.start(config: Self.config(file, ["split.strategy": "remainder"]))
        #expect(remainder.taskConfigs(maxTasks: 3, running: running) == remainder.taskConfigs(maxTasks: 3), "another strategy: its own parts")
    }
}
