/// Who calls librdkafka for a source task.
public enum ProduceMode: String, Sendable, CaseIterable {
    /// The task thread fills a batch, then produces it and serves delivery reports
    /// itself: no hand-off, one thread per task.
    case direct
    /// The task thread fills batches and hands them through an ``SluiceCore/SPSCRing``
    /// to a producer-lane thread that produces and serves delivery reports: two threads
    /// per task, filling and producing overlap.
    case lane
    /// ``direct`` while records stay on the zero-copy path; ``lane`` when the
    /// connector's converters or transforms run on the task thread, so converting
    /// one batch overlaps producing the previous one (the default).
    case automatic

    /// The mode a task runs in: `automatic` resolved by whether its records are converted.
    public func resolved(converting: Bool) -> ProduceMode {
        guard self == .automatic else { return self }
        return converting ? .lane : .direct
    }
}
