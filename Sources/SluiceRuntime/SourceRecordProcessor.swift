import SluiceCore

/// Converts and transforms the records of a source batch into new batches: the path
/// records take when a connector sets converters that are not pass-through, or
/// transforms. Records that need neither never come here and stay zero-copy.
///
/// Each record's bytes are read according to the task's ``SourceValueFormat``, run
/// through the ``TransformChain`` (which may drop it or change its topic), and
/// written by the key and value converters into output batches, one topic per batch.
final class SourceRecordProcessor {
    let defaultTopic: String
    let format: SourceValueFormat
    let keyConverter: any Converter
    let valueConverter: any Converter
    let transforms: TransformChain
    /// Records that failed and were skipped under `errors.tolerance=all`.
    private(set) var skipped = 0
    let tolerateErrors: Bool

    init(topic: String, format: SourceValueFormat, config: [String: String]) throws {
        defaultTopic = topic
        self.format = format
        keyConverter = try ConverterFactory.make(prefix: "key.converter", config: config, defaultName: "ByteArrayConverter")
        valueConverter = try ConverterFactory.make(prefix: "value.converter", config: config, defaultName: "ByteArrayConverter")
        transforms = try TransformChain(config: config)
        tolerateErrors = (config["errors.tolerance"] ?? "none") == "all"
    }

    /// Whether records must leave the zero-copy path.
    var isNeeded: Bool {
        !transforms.isEmpty || !keyConverter.isPassThrough || !valueConverter.isPassThrough
    }

    /// Keys are text unless the task writes opaque bytes.
    private func key(of bytes: UnsafeRawBufferPointer?) -> ConnectValue {
        guard let bytes else { return .null }
        return format == .bytes ? .bytes(Array(bytes)) : .string(String(decoding: bytes, as: UTF8.self))
    }

    private func value(of bytes: UnsafeRawBufferPointer?) throws -> ConnectValue {
        guard let bytes else { return .null }
        switch format {
        case .bytes: return .bytes(Array(bytes))
        case .string: return .string(String(decoding: bytes, as: UTF8.self))
        case .json: return try JSONText.parse(bytes)
        }
    }

    /// Processes `input`, calling `emit` with each filled output batch (the last one
    /// carries `input`'s source offset, even when every record was dropped).
    func process(_ input: RecordBatch, acquire: () -> RecordBatch?, emit: (RecordBatch) throws -> Void) throws {
        var output: RecordBatch?
        func next(topic: String?) throws -> RecordBatch {
            if let current = output {
                if current.topic == topic { return current }
                try emit(current)
            }
            guard let fresh = acquire() else { throw RuntimeError.invalidConfig(name: "", value: "", reason: "stopped") }
            fresh.topic = topic
            output = fresh
            return fresh
        }
        for position in 0..<input.count {
            let view = input[position]
            var record: ConnectRecord
            do {
                record = ConnectRecord(
                    topic: defaultTopic, partition: view.entry.partition,
                    key: key(of: view.key), value: try value(of: view.value), timestampMs: view.entry.timestampMs)
                guard try transforms.apply(&record) else { continue }
                let key = try keyConverter.toBytes(record.key)
                let value = try valueConverter.toBytes(record.value)
                let topic = record.topic == defaultTopic ? nil : record.topic
                var batch = try next(topic: topic)
                let headers = view.headers
                while try !append(key: key, value: value, headers: headers, record: record, to: batch) {
                    try emit(batch)
                    output = nil
                    batch = try next(topic: topic)
                }
            } catch let error as ConversionError where tolerateErrors {
                _ = error
                skipped += 1
            }
        }
        let last = try output ?? next(topic: nil)
        last.sourcePartition = input.sourcePartition
        last.sourceOffset = input.sourceOffset
        try emit(last)
    }

    private func append(key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader], record: ConnectRecord, to batch: RecordBatch) throws -> Bool {
        func with<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
            guard let bytes else { return try body(nil) }
            return try bytes.withUnsafeBytes { try body($0) }
        }
        return try with(key) { k in
            try with(value) { v in
                try batch.append(key: k, value: v, headers: headers, timestampMs: record.timestampMs, partition: record.partition)
            }
        }
    }
}
