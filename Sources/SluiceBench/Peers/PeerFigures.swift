/// A tool users would otherwise pick, measured on the same data in the same run.
public struct PeerFigures: Sendable {
    /// The peer, e.g. `kcat -P` or `librdkafka loop`.
    public var name: String
    /// Value bytes per record.
    public var recordSize: Int
    /// The codec it produced with (or read).
    public var compression: String
    /// Records it moved.
    public var records: Int
    /// Records per second, from its start to its end.
    public var recordsPerSecond: Double
    /// Its CPU seconds per million records.
    public var cpuSecondsPerMillion: Double

    /// A peer read back from a sweep's JSON.
    init?(json: [String: Any]) {
        guard let name = json["name"] as? String, let size = json["record_size"] as? Int,
            let compression = json["compression"] as? String, let rate = json["records_per_sec"] as? Double
        else { return nil }
        self.init(
            name: name, recordSize: size, compression: compression, records: json["records"] as? Int ?? 0,
            recordsPerSecond: rate, cpuSecondsPerMillion: json["cpu_sec_per_million"] as? Double ?? 0)
    }

    init(name: String, recordSize: Int, compression: String, records: Int, recordsPerSecond: Double, cpuSecondsPerMillion: Double) {
        self.name = name
        self.recordSize = recordSize
        self.compression = compression
        self.records = records
        self.recordsPerSecond = recordsPerSecond
        self.cpuSecondsPerMillion = cpuSecondsPerMillion
    }

    var json: [String: Any] {
        [
            "name": name, "record_size": recordSize, "compression": compression, "records": records,
            "records_per_sec": recordsPerSecond, "cpu_sec_per_million": cpuSecondsPerMillion,
        ]
    }
}
