/// One table (or the query) a SQL source task reads: its queries, built once, and
/// where it stands (the last incrementing value and timestamp written).
final class SQLTableReader {
    /// The table, or nil for the `query` setting.
    let table: SQLTableName?
    /// The source partition's name: Kafka Connect's `{"protocol":"1","table":...}` or `{"query":"query"}`.
    let partitionName: String
    /// The topic its records go to.
    let topic: String
    /// `table.name` for schema names and messages.
    let label: String
    /// `FROM` target: the quoted table, or the query as a derived table.
    let source: String
    /// The part of the table this reader reads, when the table is split over tasks,
    /// and the column (quoted) it is split by.
    var split: SQLSplit?
    var splitColumn: String?
    /// The incrementing column, quoted, and its name.
    var incrementing: (quoted: String, name: String)?
    /// The timestamp expression, quoted (COALESCE of the columns when several).
    var timestampExpression: String?
    /// The timestamp columns' names, first non-null wins.
    var timestampNames: [String] = []
    /// The primary key's columns (the record key).
    var keyNames: [String] = []
    /// Columns the catalog says are NOT NULL.
    var notNull: Set<String> = []
    /// `ORDER BY` of bulk and timestamp-group pages (the primary key), or empty.
    var stableOrder = ""

    /// The last incrementing value read (resumed from the committed offset).
    var lastIncrementing: Int64?
    /// The last timestamp read up to which every row was read.
    var lastTimestamp: SQLTimestamp?
    /// A timestamp group larger than a page, being read in pages: its timestamp and the rows done.
    var group: (timestamp: SQLTimestamp, done: Int)?
    /// Rows that filled a batch the last time one filled before `batch.max.rows`: later
    /// pages ask for no more, so a query is not cut short (and its rest sent for nothing)
    /// on every poll.
    var rowsThatFit: Int?
    /// The query being read across polls (incrementing, timestamp+incrementing and bulk
    /// modes), and the rows read from it so far; nil between queries.
    var stream: (any SQLRowStream)?
    var streamed = 0
    /// Rows of the bulk round done so far.
    var bulkDone = 0
    /// When the table is next read (monotonic nanoseconds).
    var due: UInt64 = 0
    /// Result column indices of the incrementing and timestamp columns, and the
    /// encoder, once the first result described its columns.
    var encoder: ConnectRowEncoder?
    var incrementingIndex: Int?
    var timestampIndices: [Int] = []

    /// Where a reader stands: what a failed read puts back.
    struct Position {
        var lastIncrementing: Int64?
        var lastTimestamp: SQLTimestamp?
        var group: (timestamp: SQLTimestamp, done: Int)?
        var bulkDone: Int
    }

    /// Drops the query being read (its rest is not wanted, or it failed).
    func closeStream() {
        stream?.close()
        stream = nil
    }

    /// Where it stands now; setting it goes back there.
    var position: Position {
        get { Position(lastIncrementing: lastIncrementing, lastTimestamp: lastTimestamp, group: group, bulkDone: bulkDone) }
        set { (lastIncrementing, lastTimestamp, group, bulkDone) = (newValue.lastIncrementing, newValue.lastTimestamp, newValue.group, newValue.bulkDone) }
    }

    init(table: SQLTableName?, partitionName: String, topic: String, label: String, source: String) {
        self.table = table
        self.partitionName = partitionName
        self.topic = topic
        self.label = label
        self.source = source
    }
}
