/// Who calls librdkafka for a source task.
public enum ProduceMode: String, Sendable, CaseIterable {
    /// The task thread fills a batch, then produces it and serves delivery reports
    /// itself: no hand-off, one thread per task.
    case direct
    /// The task thread fills batches and hands them through an ``SluiceCore/SPSCRing``
    /// to a producer-lane thread that produces and serves delivery reports: two threads
    /// per task, filling and producing overlap.
    case lane
}
