import SluiceConnectors
import SluiceCore
import SluiceRuntime
import Foundation
import Testing

@Suite("Datagen")
struct DatagenTests {
    @Test("records have the configured size, a stamp and cycling keys")
    func layout() throws {
        let task = DatagenTask()
        try task.start(context: TaskContext(
            connectorName: "d", taskID: 7, config: ["record.size": "40", "key.cardinality": "3", "iterations": "10"]))
        let batch = RecordBatch(arenaBytes: 1 << 16, maxRecords: 100)
        #expect(try task.poll(into: batch) == .endOfData)
        #expect(batch.count == 10)
        for i in 0..<10 {
            let view = batch[i]
            #expect(view.value?.count == 40)
            let stamp = try #require(DatagenRecordLayout.stamp(of: view.value!))
            #expect(stamp.taskID == 7)
            #expect(stamp.sequence == UInt64(i))
            #expect(String(decoding: view.key!, as: UTF8.self) == String(format: "%010d", i % 3))
        }
    }

    @Test("a restarted task resumes at its committed sequence, key included, and reports its offset per batch")
    func resumes() throws {
        let task = DatagenTask()
        try task.start(context: TaskContext(
            connectorName: "d", taskID: 3, config: ["record.size": "40", "key.cardinality": "7", "iterations": "120"],
            offsets: ["datagen-task-3": 100]))
        #expect(task.sourcePartitionName(0) == "datagen-task-3")
        let batch = RecordBatch(arenaBytes: 1 << 16, maxRecords: 100)
        #expect(try task.poll(into: batch) == .endOfData)
        #expect(batch.count == 20)
        let first = try #require(DatagenRecordLayout.stamp(of: batch[0].value!))
        #expect(first.taskID == 3)
        #expect(first.sequence == 100)
        #expect(String(decoding: batch[0].key!, as: UTF8.self) == String(format: "%010d", 100 % 7))
        #expect(String(decoding: batch[19].key!, as: UTF8.self) == String(format: "%010d", 119 % 7))
        #expect(batch.sourcePartition == 0)
        #expect(batch.sourceOffset == 120)
    }

    @Test("a full batch ends the poll and the next poll continues the sequence")
    func continues() throws {
        let task = DatagenTask(config: { var c = DatagenConfig(); c.recordSize = 100; c.iterations = 25; return c }())
        try task.start(context: TaskContext(connectorName: "d", taskID: 0, config: [:]))
        let batch = RecordBatch(arenaBytes: 1100, maxRecords: 100)
        #expect(try task.poll(into: batch) == .batchFull)
        #expect(batch.count == 10)
        batch.reset()
        #expect(try task.poll(into: batch) == .batchFull)
        #expect(DatagenRecordLayout.stamp(of: batch[0].value!)?.sequence == 10)
    }

    @Test("values longer than the filler are filled completely")
    func longValues() throws {
        let task = DatagenTask(config: { var c = DatagenConfig(); c.recordSize = 200_000; c.iterations = 1; return c }())
        try task.start(context: TaskContext(connectorName: "d", taskID: 0, config: [:]))
        let batch = RecordBatch(arenaBytes: 300_000, maxRecords: 2)
        batch.arenaBase.initializeMemory(as: UInt8.self, repeating: 0, count: 300_000)
        #expect(try task.poll(into: batch) == .endOfData)
        let value = try #require(batch[0].value)
        #expect(value.count == 200_000)
        #expect(!value[12...].contains(0), "every filler byte is a letter or a space")
    }

    @Test("settings made in code are checked before the first poll")
    func presetChecked() {
        var config = DatagenConfig()
        config.recordSize = 4
        let task = DatagenTask(config: config)
        #expect(throws: RuntimeError.self) { try task.start(context: TaskContext(connectorName: "d", taskID: 0, config: [:])) }
    }

    @Test("max.records.per.sec holds the task to its rate")
    func rateLimit() throws {
        let task = DatagenTask()
        try task.start(context: TaskContext(connectorName: "d", taskID: 0, config: ["max.records.per.sec": "2000", "record.size": "16"]))
        let batch = RecordBatch(arenaBytes: 1 << 20, maxRecords: 10_000)
        let start = MonotonicClock.nanoseconds()
        var written = 0
        while MonotonicClock.nanoseconds() - start < 500_000_000 {
            batch.reset()
            #expect(try task.poll(into: batch) != .endOfData)
            written += batch.count
            usleep(1_000)
        }
        #expect(written >= 800 && written <= 1_100, "about 1000 records in 0.5 s at 2000/s, got \(written)")
    }

    @Test("bad settings name the key", arguments: [
        ["record.size": "8"], ["record.size": "big"], ["key.cardinality": "-1"], ["iterations": "x"], ["value.format": "xml"],
        ["max.records.per.sec": "-5"],
    ])
    func badConfig(config: [String: String]) {
        #expect(throws: RuntimeError.self) { try DatagenConfig(config: config) }
    }

    @Test("the verifier counts lost, duplicated and foreign records")
    func verifier() {
        var verifier = DatagenVerifier(expected: [3, 2])
        func feed(_ task: UInt32, _ sequence: UInt64) {
            var bytes = [UInt8](repeating: 0, count: 16)
            bytes.withUnsafeMutableBytes { DatagenRecordLayout.writeStamp(taskID: task, sequence: sequence, into: $0) }
            bytes.withUnsafeBytes { verifier.observe(value: $0) }
        }
        feed(0, 0); feed(0, 1); feed(0, 1); feed(1, 0); feed(1, 5); feed(9, 0)
        verifier.observe(value: nil)
        let report = verifier.report
        #expect(report.duplicates == 1)
        #expect(report.unexpected == 3)
        #expect(report.lost == 2)  // (0, 2) and (1, 1)
        #expect(report.seen == 7)
    }
}
