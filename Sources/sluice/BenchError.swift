/// Errors of `sluice bench` that are not Kafka's or the runtime's.
enum BenchError: Error, CustomStringConvertible {
    case cannotWrite(path: String, reason: String)
    case verificationStalled(topic: String, seen: Int, expected: Int)
    case runFailed(String)
    /// A worker of a sweep did not start or join; with the end of its log.
    case workerFailed(String, logTail: String)

    var description: String {
        switch self {
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
