/// One row of `sluice bench`'s results: one (tasks, compression, mode) combination.
struct BenchRow: Sendable {
    var workers = 1
    var repeats = 1
    var tasks: Int
    var compression: String
    var mode: String
    var recordSize: Int
    var records: Int
    var seconds: Double
    var recordsPerSecond: Double
    var megabytesPerSecond: Double
    var cpuSecondsPerMillion: Double
    var p50Milliseconds: Double
    var p99Milliseconds: Double
    var peakRSSMegabytes: Double
    var failed: Int
    /// Produce calls that found librdkafka's local queue full and waited.
    var queueFullWaits = 0
    var raw: RawFigures?
    var lost: Int?
    var duplicates: Int?

    /// The baseline's figures in the same run.
    struct RawFigures: Sendable {
        var recordsPerSecond: Double
        var cpuSecondsPerMillion: Double
        var peakRSSMegabytes: Double
    }

    var ratioToRaw: Double? {
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
        ]
    }
}
