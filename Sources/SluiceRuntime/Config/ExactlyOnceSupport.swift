import Foundation

/// Kafka Connect's exactly-once source settings (KIP-618), which Sluice does not
/// support yet: source records are delivered at least once. A config that asks for
/// exactly-once is refused with that said, instead of being accepted and run
/// without it. Values are read in any case, as Kafka Connect reads them.
///
/// | key | where | accepted | refused |
/// | --- | --- | --- | --- |
/// | `exactly.once.support` | connector | `requested` (the default) | `required` |
/// | `exactly.once.source.support` | worker | `disabled` (the default), `preparing` | `enabled` |
public enum ExactlyOnceSupport {
    /// A connector's setting.
    public static let connectorKey = "exactly.once.support"
    /// A worker's setting.
    public static let workerKey = "exactly.once.source.support"

    /// Why a request for exactly-once is refused.
    static let notSupported = "exactly-once delivery is not supported by Sluice yet (source records are delivered at least once)"

    /// The problem with a connector's `exactly.once.support`, if any.
    public static func connectorProblems(in config: [String: String]) -> [ConfigProblem] {
        check(config, key: connectorKey, accepted: ["requested"], refused: "required", remedy: "remove it or set it to requested")
    }

    /// The problem with a worker's `exactly.once.source.support`, if any.
    public static func workerProblems(in properties: [String: String]) -> [ConfigProblem] {
        check(properties, key: workerKey, accepted: ["disabled", "preparing"], refused: "enabled", remedy: "remove it or set it to disabled")
    }

    private static func check(_ settings: [String: String], key: String, accepted: [String], refused: String, remedy: String) -> [ConfigProblem] {
        guard let value = settings[key] else { return [] }
        let normalized = value.trimmingCharacters(in: .whitespaces).lowercased()
        if accepted.contains(normalized) { return [] }
        let reason = normalized == refused
            ? "\(notSupported); \(remedy)"
            : "String must be one of (case insensitive): \((accepted + [refused]).joined(separator: ", "))"
        return [ConfigProblem(name: key, value: value, message: "Invalid value \(value) for configuration \(key): \(reason)")]
    }
}
