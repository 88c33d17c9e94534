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
    /// The task's error figures (shared with the other processor of the task, in lane mode).
    let errors: TaskErrorCounters
    /// Records that took the splice route.
    private(set) var spliced = 0
    let tolerateErrors: Bool
    /// `errors.deadletterqueue.topic.name`: where skipped records go, as they were written.
    let deadLetterTopic: String?
    /// `errors.deadletterqueue.context.headers.enable`: add Kafka Connect's `__connect.errors.*` headers.
    let contextHeaders: Bool
    /// `errors.log.enable`: describe each failed record on stderr.
    let logErrors: Bool
    /// `errors.log.include.messages`: the log line shows the record's key and value.
    let logMessages: Bool
    let connectorName: String
    let taskID: Int

    init(
        topic: String, format: SourceValueFormat, config: [String: String], connectorName: String = "", taskID: Int = 0,
        errors: TaskErrorCounters = TaskErrorCounters()
    ) throws {
        self.connectorName = connectorName
        self.taskID = taskID
        self.errors = errors
        let errors = try ErrorHandlingConfig(config: config, connector: connectorName)
        deadLetterTopic = errors.deadLetterTopic
        contextHeaders = errors.contextHeaders
        logErrors = errors.logEnabled
        logMessages = errors.logIncludesMessages
        defaultTopic = topic
        self.format = format
        let defaultConverter = format == .converted ? "JsonConverter" : "ByteArrayConverter"
        keyConverter = try ConverterFactory.make(prefix: "key.converter", config: config, defaultName: defaultConverter)
        valueConverter = try ConverterFactory.make(prefix: "value.converter", config: config, defaultName: defaultConverter)
        transforms = try TransformChain(config: config)
        tolerateErrors = errors.tolerance == .all
        splices = format == .json && (valueConverter as? JsonConverter)?.schemasEnabled == false && transforms.canSplice
    }

    /// Whether records may take the splice route: JSON values written by the task, a
    /// `JsonConverter` without schemas for values, and transforms that all splice.
    /// Each record still takes it only when ``JSONFieldScanner`` accepts its text.
    let splices: Bool

    /// Whether records must leave the zero-copy path.
    var isNeeded: Bool {
        !transforms.isEmpty || (format != .converted && (!keyConverter.isPassThrough || !valueConverter.isPassThrough))
    }

    /// Kafka Connect's dead-letter headers for a record that failed at `stage` (in
    /// transform `step` for `TRANSFORMATION`) and that the task wrote for `partition`.
    /// Records the task wrote as JSON text are parsed by Sluice, not by a converter; a
    /// failure there is the value converter's stage and class, as Kafka Connect has no other.
    private func errorHeaders(_ error: Error, stage: RecordStage, step: Int, partition: Int32) -> [RecordHeader] {
        guard contextHeaders else { return [] }
        return ErrorContextHeaders.make(
            error: error, stage: stage.rawValue,
            className: stage.className(key: keyConverter, value: valueConverter, transforms: transforms, step: step),
            topic: defaultTopic, partition: Int(partition), connector: connectorName, taskID: taskID)
    }

    /// Keys are text unless the task writes opaque bytes.
    private func key(of bytes: UnsafeRawBufferPointer?) throws -> ConnectValue {
        guard let bytes else { return .null }
        switch format {
        case .bytes: return .bytes(Array(bytes))
        case .converted: return try keyConverter.toValue(bytes)
        case .string, .json: return .string(String(decoding: bytes, as: UTF8.self))
        }
    }

    private func value(of bytes: UnsafeRawBufferPointer?) throws -> ConnectValue {
        guard let bytes else { return .null }
        switch format {
        case .bytes: return .bytes(Array(bytes))
        case .string: return .string(String(decoding: bytes, as: UTF8.self))
        case .json: return try JSONText.parse(bytes)
        case .converted: return try valueConverter.toValue(bytes)
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
            guard let fresh = acquire() else { throw RuntimeError.stopped }
            fresh.topic = topic
            output = fresh
            return fresh
        }
        // One buffer per part for the whole batch: converters append into them.
        var keyBytes: [UInt8] = []
        var valueBytes: [UInt8] = []
        keyBytes.reserveCapacity(64)
        valueBytes.reserveCapacity(256)
        // The splice route's lists, moved into each record and back, so they keep their storage.
        var spliceFields: [SplicedField] = []
        var spliceNames: [String] = []
        var spliceValues: [ConnectValue] = []
        var splicedHere = 0
        defer { spliced += splicedHere }
        spliceFields.reserveCapacity(16)
        spliceNames.reserveCapacity(8)
        spliceValues.reserveCapacity(8)
        for position in 0..<input.count {
            let view = input[position]
            var stage = RecordStage.valueConverter
            var step = 0
            do {
                let key: [UInt8]?
                let value: [UInt8]?
                let meta: ConnectRecord
                if splices, let text = view.value, JSONFieldScanner.scan(text, into: &spliceFields) {
                    // The splice route: the value's text is copied, not parsed and rewritten.
                    var record = SplicedRecord(
                        meta: ConnectRecord(
                            topic: defaultTopic, partition: view.entry.partition, key: .null, value: .null,
                            timestampMs: view.entry.timestampMs, headers: view.headers),
                        text: text, fields: [])
                    swap(&record.fields, &spliceFields)
                    swap(&record.givenNames, &spliceNames)
                    swap(&record.madeValues, &spliceValues)
                    stage = .transformation
                    let kept = try transforms.splice(&record, step: &step)
                    if kept {
                        valueBytes.removeAll(keepingCapacity: true)
                        record.write(into: &valueBytes)
                    }
                    swap(&record.fields, &spliceFields)
                    swap(&record.givenNames, &spliceNames)
                    swap(&record.madeValues, &spliceValues)
                    spliceNames.removeAll(keepingCapacity: true)
                    spliceValues.removeAll(keepingCapacity: true)
                    splicedHere += 1
                    guard kept else { continue }
                    stage = .keyConverter
                    keyBytes.removeAll(keepingCapacity: true)
                    key = try keyConverter.write(try self.key(of: view.key), into: &keyBytes) ? keyBytes : nil
                    value = valueBytes
                    meta = record.meta
                } else {
                    var record = ConnectRecord(
                        topic: defaultTopic, partition: view.entry.partition, key: .null, value: .null,
                        timestampMs: view.entry.timestampMs, headers: view.headers)
                    if format == .converted {
                        // The task wrote the converters' bytes: keep the name and version their schemas carry.
                        stage = .keyConverter
                        (record.key, record.keySchema) = try keyConverter.toValueAndSchema(view.key)
                        stage = .valueConverter
                        (record.value, record.valueSchema) = try valueConverter.toValueAndSchema(view.value)
                    } else {
                        stage = .keyConverter
                        record.key = try self.key(of: view.key)
                        stage = .valueConverter
                        record.value = try self.value(of: view.value)
                    }
                    stage = .transformation
                    guard try transforms.apply(&record, step: &step) else { continue }
                    stage = .keyConverter
                    keyBytes.removeAll(keepingCapacity: true)
                    key = try keyConverter.write(record.key, schema: record.keySchema, into: &keyBytes) ? keyBytes : nil
                    stage = .valueConverter
                    valueBytes.removeAll(keepingCapacity: true)
                    value = try valueConverter.write(record.value, schema: record.valueSchema, into: &valueBytes) ? valueBytes : nil
                    record.key = .null
                    record.value = .null
                    meta = record
                }
                let topic = meta.topic == defaultTopic ? nil : meta.topic
                var batch = try next(topic: topic)
                // The record's headers after the transforms (the task's own when none touched them).
                let headers = meta.headers
                while try !append(key: key, value: value, headers: headers, timestampMs: meta.timestampMs, partition: meta.partition, to: batch) {
                    try emit(batch)
                    output = nil
                    batch = try next(topic: topic)
                }
            } catch let error as ConversionError {
                errors.recordFailedRecord()
                guard tolerateErrors else { throw error }
                errors.recordsSkipped.wrappingIncrement(ordering: .relaxed)
                if logErrors {
                    ErrorLog.write("connector \(connectorName) task \(taskID): skipped a record for topic \(defaultTopic) at stage \(stage.rawValue): \(error)" + (logMessages ? ErrorLog.record(key: view.key, value: view.value) : ""))
                    errors.errorsLogged.wrappingIncrement(ordering: .relaxed)
                }
                guard let deadLetterTopic else { continue }
                errors.deadLetterRequests.wrappingIncrement(ordering: .relaxed)
                // The record goes to the dead-letter topic as the task wrote it.
                let headers = view.headers + errorHeaders(error, stage: stage, step: step, partition: view.entry.partition)
                let key = view.key.map { Array($0) }
                let value = view.value.map { Array($0) }
                var batch = try next(topic: deadLetterTopic)
                while try !append(key: key, value: value, headers: headers, timestampMs: view.entry.timestampMs, partition: -1, to: batch) {
                    try emit(batch)
                    output = nil
                    batch = try next(topic: deadLetterTopic)
                }
            }
        }
        let last = try output ?? next(topic: nil)
        last.sourcePartition = input.sourcePartition
        last.sourceOffset = input.sourceOffset
        try emit(last)
    }

    private func append(
        key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader], timestampMs: Int64, partition: Int32, to batch: RecordBatch
    ) throws -> Bool {
        func with<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
            guard let bytes else { return try body(nil) }
            return try bytes.withUnsafeBytes { try body($0) }
        }
        return try with(key) { k in
            try with(value) { v in
                try batch.append(key: k, value: v, headers: headers, timestampMs: timestampMs, partition: partition)
            }
        }
    }
}
