import SluiceCore

@testable import SluiceRuntime

/// Runs records through the source path's processor, as a source runner does, and
/// returns what it would produce.
enum SourcePathHarness {
    /// One record the processor wrote.
    struct Output: Equatable {
        var topic: String?
        var value: String?
        var headers: [RecordHeader]
    }

    /// `records` (values and headers), written by a task of `format`, through `config`'s
    /// converters and transforms.
    static func run(
        _ records: [(value: String, headers: [RecordHeader])], config: [String: String],
        format: SourceValueFormat = .string
    ) throws -> (outputs: [Output], processor: SourceRecordProcessor) {
        let pool = BatchPool(batchCount: 4, arenaBytes: 1 << 16, maxRecords: 64)
        guard let input = pool.tryAcquire() else { throw RuntimeError.stopped }
        for record in records {
            _ = try Array(record.value.utf8).withUnsafeBytes {
                try input.append(key: nil, value: $0, headers: record.headers, timestampMs: 0, partition: -1)
            }
        }
        let processor = try SourceRecordProcessor(topic: "lines", format: format, config: config)
        var outputs: [Output] = []
        try processor.process(
            input, acquire: { pool.tryAcquire() },
            emit: { batch in
                for index in 0..<batch.count {
                    let view = batch[index]
                    outputs.append(
                        Output(
                            topic: batch.topic, value: view.value.map { String(decoding: $0, as: UTF8.self) },
                            headers: view.headers))
                }
                pool.release(batch)
            })
        return (outputs, processor)
    }

    /// The values written for `lines` (records without headers).
    static func values(_ lines: [String], config: [String: String]) throws -> [String] {
        try run(lines.map { ($0, []) }, config: config).outputs.compactMap(\.value)
    }
}
