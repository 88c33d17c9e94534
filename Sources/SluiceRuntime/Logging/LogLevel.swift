/// A logger's level, by the names Kafka Connect's `/admin/loggers` uses (log4j's).
public enum LogLevel: String, CaseIterable, Sendable {
    case off = "OFF"
    case fatal = "FATAL"
    case error = "ERROR"
    case warn = "WARN"
    case info = "INFO"
    case debug = "DEBUG"
    case trace = "TRACE"

    /// The level named `text`, in any case (`WARNING` is read as `WARN`).
    public init?(named text: String) {
        let upper = text.uppercased()
        self.init(rawValue: upper == "WARNING" ? "WARN" : upper)
    }

    /// How much a logger at this level lets through: more is more verbose.
    var verbosity: Int { Self.allCases.firstIndex(of: self)! }

    /// Whether a logger at this level writes a line of level `line`.
    public func allows(_ line: LogLevel) -> Bool {
        line != .off && line.verbosity <= verbosity
    }
}
