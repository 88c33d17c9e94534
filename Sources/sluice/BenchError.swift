/// Errors of `sluice bench` that are not Kafka's or the runtime's.
enum BenchError: Error, CustomStringConvertible {
    case cannotWrite(path: String, reason: String)
    case verificationStalled(topic: String, seen: Int, expected: Int)
    case runFailed(String)

    var description: String {
        switch self {
        case let .cannotWrite(path, reason):
            return "cannot write '\(path)': \(reason)"
        case let .verificationStalled(topic, seen, expected):
            return "verification of '\(topic)' stalled after \(seen) of \(expected) records"
        case let .runFailed(reason):
            return reason
        }
    }
}
