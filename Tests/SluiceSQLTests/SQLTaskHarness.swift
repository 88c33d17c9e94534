import Foundation
import SluiceCore
import SluiceRuntime
import Testing

@testable import SluiceSQL

/// Runs a SQL source task in-process: polls into a batch, reads the records back as
/// JSON, and hands back the offset the runner would store for the batch.
final class SQLTaskHarness {
    struct Record {
        var topic: String?
        var key: String?
        var value: [String: Any]
        /// The payload (the value without the schema envelope).
        var payload: [String: Any] { (value["payload"] as? [String: Any]) ?? value }
    }

    let task = SQLSourceTask()
    let batch: RecordBatch
    /// Offsets stored so far, by partition name, as the runner stores them.
    var offsets: [String: SourceOffset] = [:]

    init(config: [String: String], tables: [SQLTableName]? = nil, offsets: [String: SourceOffset] = [:], arenaBytes: Int = 4 << 20) throws {
        var config = config
        if let tables { config[SQLSourceTask.tablesKey] = SQLSourceTask.encode(tables: tables) }
        batch = RecordBatch(arenaBytes: arenaBytes, maxRecords: 100_000)
        self.offsets = offsets
        try task.start(context: TaskContext(connectorName: "sql", taskID: 0, config: config, sourceOffsets: offsets))
    }

    deinit { task.stop() }

    /// One poll: its records, and the result; the batch's offset is committed.
    func poll() throws -> (records: [Record], result: SourcePollResult) {
        batch.reset()
        let result = try task.poll(into: batch)
        var records: [Record] = []
        for index in 0..<batch.count {
            let view = batch[index]
            let value = view.value.flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] } ?? [:]
            records.append(Record(topic: batch.topic, key: view.key.map { String(decoding: $0, as: UTF8.self) }, value: value))
        }
        if batch.count > 0, batch.sourceOffset >= 0, let name = task.sourcePartitionName(batch.sourcePartition),
            let offset = task.sourceOffset(of: batch) {
            offsets[name] = offset
        }
        return (records, result)
    }

    /// Polls until a poll returns nothing (tables become due again only after
    /// `poll.interval.ms`, which tests set high or low as they need). It first waits
    /// `settle` seconds, so a table whose last round ended within the tests' usual
    /// 1 ms interval is due again (a fast machine inserts a row in less than that).
    func drain(maxPolls: Int = 1000, settle: TimeInterval = 0.003) throws -> [Record] {
        Thread.sleep(forTimeInterval: settle)
        var all: [Record] = []
        for _ in 0..<maxPolls {
            let (records, _) = try poll()
            if records.isEmpty { break }
            all += records
        }
        return all
    }
}

/// A SQLite file in a temporary folder, removed when the test ends.
final class SQLiteFile {
    let path: String
    let database: SQLiteDatabase

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-sql-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).db").path
        database = try SQLiteDatabase(url: JdbcURL("jdbc:sqlite:" + path), create: true)
    }

    var url: String { "jdbc:sqlite:" + path }

    func execute(_ sql: String) throws { try database.execute(sql) }

    deinit {
        database.close()
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }
}
