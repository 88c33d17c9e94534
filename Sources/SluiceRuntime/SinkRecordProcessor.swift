import SluiceCore
import SluiceKafka

/// Reads consumed records through the sink connector's converters and transforms,
/// like Kafka Connect's sink path: bytes → key and value converters → transforms →
/// `SinkTask.put(records:)`. Each record carries its consumed headers and offset
/// (``ConnectRecord/headers``, ``ConnectRecord/kafkaOffset``) to the transforms and
/// the task. Records that fail go, under `errors.tolerance=all`, to the dead-letter
/// topic as they were stored, with Kafka Connect's `__connect.errors.*` headers when
/// `errors.deadletterqueue.context.headers.enable=true`.
final class SinkRecordProcessor {
    let keyConverter: any Converter
    let valueConverter: any Converter
    let transforms: TransformChain
    let tolerateErrors: Bool
    let deadLetterTopic: String?
    let contextHeaders: Bool
    /// `errors.log.enable`: describe each failed record on stderr.
    let logErrors: Bool
    /// `errors.log.include.messages`: the log line shows the record's key and value.
    let logMessages: Bool
    let connectorName: String
    let taskID: Int
    /// The task's error figures.
    let errors: TaskErrorCounters

    init(config: [String: String], connectorName: String, taskID: Int, errors: TaskErrorCounters = TaskErrorCounters()) throws {
        self.errors = errors
        keyConverter = try ConverterFactory.make(prefix: "key.converter", config: config, defaultName: "ByteArrayConverter")
        valueConverter = try ConverterFactory.make(prefix: "value.converter", config: config, defaultName: "ByteArrayConverter")
        transforms = try TransformChain(config: config)
        let errors = try ErrorHandlingConfig(config: config, connector: connectorName)
        tolerateErrors = errors.tolerance == .all
        deadLetterTopic = errors.deadLetterTopic
        contextHeaders = errors.contextHeaders
        logErrors = errors.logEnabled
        logMessages = errors.logIncludesMessages
        self.connectorName = connectorName
        self.taskID = taskID
    }

    /// Whether records need this path (anything but pass-through converters and no transforms).
    var isNeeded: Bool {
        !transforms.isEmpty || !keyConverter.isPassThrough || !valueConverter.isPassThrough
    }

    /// The converted records of `batch`; failed ones are handed to `deadLetter`
    /// (with their headers) when tolerated, or thrown.
    func convert(_ batch: ConsumedBatch, deadLetter: (ConsumedRecord, [RecordHeader]) throws -> Void) throws -> [ConnectRecord] {
        var records: [ConnectRecord] = []
        records.reserveCapacity(batch.count)
        for i in 0..<batch.count {
            let consumed = batch[i]
            guard consumed.error == nil else { continue }
            var stage = RecordStage.keyConverter
            var step = 0
            do {
                let (key, keySchema) = try keyConverter.toValueAndSchema(consumed.key)
                stage = .valueConverter
                let (value, valueSchema) = try valueConverter.toValueAndSchema(consumed.value)
                stage = .transformation
                var record = ConnectRecord(
                    topic: consumed.topic, partition: consumed.partition, key: key, value: value,
                    timestampMs: consumed.timestampMs ?? 0, headers: consumed.headers, kafkaOffset: consumed.offset)
                record.keySchema = keySchema
                record.valueSchema = valueSchema
                if try transforms.apply(&record, step: &step) { records.append(record) }
            } catch let error as ConversionError {
                errors.recordFailedRecord()
                guard tolerateErrors else { throw error }
                errors.recordsSkipped.wrappingIncrement(ordering: .relaxed)
                if logErrors {
                    ErrorLog.write("connector \(connectorName) task \(taskID): skipped \(consumed.topic)-\(consumed.partition)@\(consumed.offset) at stage \(stage.rawValue): \(error)" + (logMessages ? ErrorLog.record(key: consumed.key, value: consumed.value) : ""))
                    errors.errorsLogged.wrappingIncrement(ordering: .relaxed)
                }
                guard deadLetterTopic != nil else { continue }
                errors.deadLetterRequests.wrappingIncrement(ordering: .relaxed)
                var headers = consumed.headers
                if contextHeaders {
                    headers += ErrorContextHeaders.make(
                        error: error, stage: stage.rawValue,
                        className: stage.className(key: keyConverter, value: valueConverter, transforms: transforms, step: step),
                        topic: consumed.topic,
                        partition: Int(consumed.partition), offset: consumed.offset, connector: connectorName, taskID: taskID)
                }
                try deadLetter(consumed, headers)
            }
        }
        return records
    }
}
