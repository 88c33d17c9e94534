/// Errors of the benchmark harness that are not Kafka's or the runtime's.
///
/// Settings are named by the `sluice bench` flag that sets them (`--tasks` for
/// ``BenchPlan/taskCounts``), so that a message reads the same from the command line
/// and from code.
public enum BenchError: Error, CustomStringConvertible, Equatable {
    /// A setting's value is out of range: `invalid value 'VALUE' for OPTION: REASON`.
    case invalidValue(String, option: String, reason: String)
    /// One element of a list setting is out of range: `invalid value 'VALUE' in OPTION: REASON`.
    case invalidListElement(String, option: String, reason: String)
    /// A setting another layer refused (a CPU list, a property): `OPTION: REASON`.
    case invalidSetting(option: String, reason: String)
    /// Settings that do not go together; the sentence names them and the way out.
    case conflictingSettings(String)
    /// More worker processes than `limit` (``SweepPlan/maxWorkers``) on a machine of `cores`.
    case tooManyWorkers(requested: Int, limit: Int, cores: Int)
    /// A result file (or a peer's input file) cannot be written.
    case cannotWrite(path: String, reason: String)
    /// Reading a topic back made no progress: `seen` of `expected` records were read.
    case verificationStalled(topic: String, seen: Int, expected: Int)
    /// A run did not produce its figures, or lost, duplicated or failed records; the
    /// sentence says which.
    case runFailed(String)
    /// A worker of a sweep did not start or join; with the end of its log.
    case workerFailed(String, logTail: String)

    /// One sentence a person can act on (a worker's log tail on the lines after).
    public var description: String {
        switch self {
        case let .invalidValue(value, option, reason):
            return "invalid value '\(value)' for \(option): \(reason)"
        case let .invalidListElement(value, option, reason):
            return "invalid value '\(value)' in \(option): \(reason)"
        case let .invalidSetting(option, reason):
            return "\(option): \(reason)"
        case let .conflictingSettings(sentence):
            return sentence
        case let .tooManyWorkers(requested, limit, cores):
            return "--workers \(requested): more worker processes than this machine should start (\(cores) cores; at most \(limit), see --max-workers); nothing was started"
        case let .cannotWrite(path, reason):
            return "cannot write '\(path)': \(reason)"
        case let .verificationStalled(topic, seen, expected):
            return "verification of '\(topic)' stalled after \(seen) of \(expected) records"
        case let .workerFailed(reason, tail):
            return tail.isEmpty ? reason : "\(reason); its log ends:\n\(tail)"
        case let .runFailed(reason):
            return reason
        }
    }
}
