/// One row of an in-process benchmark's results: one (record size, tasks,
/// compression, mode, produce call, pipeline) combination.
public struct BenchRow: Sendable {
    /// Worker processes: always 1 here (the JSON shares its schema with sweeps).
    public var workers = 1
    /// Measurements the row's medians come from (``BenchPlan/repeats``).
    public var repeats = 1
    /// Datagen tasks, one pinned thread each.
    public var tasks: Int
    /// The producer codec (`compression.type`).
    public var compression: String
    /// The hand-off (`direct`, `lane`), then `+conv` off the zero-copy path, `/json`
    /// for JSON values and `/record` or `/batch` for a chosen produce call.
    public var mode: String
    /// Value bytes per record.
    public var recordSize: Int
    /// Records the run wrote, over all tasks.
    public var records: Int
    /// Wall seconds from the first task's start to the last task's end.
    public var seconds: Double
    /// Records acknowledged per second.
    public var recordsPerSecond: Double
    /// Key and value bytes acknowledged per second, in millions.
    public var megabytesPerSecond: Double
    /// Process CPU seconds per million records.
    public var cpuSecondsPerMillion: Double
    /// Median delivery latency (record written → acknowledged), in milliseconds.
    public var p50Milliseconds: Double
    /// 99th percentile delivery latency, in milliseconds.
    public var p99Milliseconds: Double
    /// This process's peak resident set during the run, in MiB.
    public var peakRSSMegabytes: Double
    /// Records whose delivery failed.
    public var failed: Int
    /// The embedded broker process's CPU seconds per second of the run (1.0: its
    /// one thread was always busy, so the broker limited the run); `nil` when the
    /// broker is not a child process (a real cluster, or in this process).
    public var brokerBusy: Double?
    /// Produce calls that found librdkafka's local queue full and waited.
    public var queueFullWaits = 0
    /// The raw librdkafka loop on the same records; `nil` with ``BenchPlan/skipRaw``.
    public var raw: RawFigures?
    /// Records written but not read back; `nil` without ``BenchPlan/verify``.
    public var lost: Int?
    /// Records read back more than once (or not written by the run); `nil` without ``BenchPlan/verify``.
    public var duplicates: Int?

    /// The baseline's figures in the same run.
    public struct RawFigures: Sendable {
        /// Records acknowledged per second.
        public var recordsPerSecond: Double
        /// Process CPU seconds per million records.
        public var cpuSecondsPerMillion: Double
        /// This process's peak resident set during the loop, in MiB.
        public var peakRSSMegabytes: Double
        /// The embedded broker's CPU seconds per second of the loop (see ``BenchRow/brokerBusy``).
        public var brokerBusy: Double?
    }

    /// Sluice's records/s over the raw loop's, when the raw loop ran.
    public var ratioToRaw: Double? {
        guard let raw, raw.recordsPerSecond > 0 else { return nil }
        return recordsPerSecond / raw.recordsPerSecond
    }

    /// The JSON object of this row (keys as documented in the README).
    var json: [String: Any?] {
        [
            "workers": workers, "tasks": tasks, "compression": compression, "mode": mode,
            "record_size": recordSize, "records": records, "seconds": seconds,
            "records_per_sec": recordsPerSecond, "mb_per_sec": megabytesPerSecond,
            "cpu_sec_per_million": cpuSecondsPerMillion, "p50_ms": p50Milliseconds, "p99_ms": p99Milliseconds,
            "peak_rss_mb": peakRSSMegabytes, "failed": failed, "repeats": repeats, "queue_full_waits": queueFullWaits,
            "raw_records_per_sec": raw?.recordsPerSecond, "raw_cpu_sec_per_million": raw?.cpuSecondsPerMillion,
            "ratio_to_raw": ratioToRaw, "lost": lost, "duplicates": duplicates,
            "broker_busy": brokerBusy, "raw_broker_busy": raw?.brokerBusy,
        ]
    }
}
