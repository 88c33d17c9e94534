/// Which librdkafka call a ``Producer`` hands plain records to.
///
/// Records with headers or an explicit timestamp always go one at a time through
/// `rd_kafka_produceva`; this chooses the call for the others. Every choice keeps the
/// records' order and none copies values. `docs/data-path.md` has the measurements
/// behind ``automatic``.
public enum ProduceCall: String, CaseIterable, Sendable {
    /// `rd_kafka_produce_batch` for runs of records with a null key or an explicit
    /// partition, `rd_kafka_produce` for keyed records librdkafka's partitioner places.
    case automatic
    /// One `rd_kafka_produce_batch` call per run of up to 1,024 plain records.
    case batch
    /// One `rd_kafka_produce` call per record.
    case record
}
