import Foundation
import SluiceKafka

/// A logger level for the whole cluster (`PUT /admin/loggers/{name}?scope=cluster`,
/// KIP-976), as Kafka Connect writes it to the config topic: key
/// `logger-cluster-<namespace>`, value `{"level": "DEBUG"}`. Every worker sets the
/// level when it reads the record; records written before a worker started are not
/// applied by it, as in Kafka Connect.
public enum ClusterLoggerLevel {
    static let prefix = "logger-cluster-"

    /// The config topic record that sets `namespace` to `level` on every worker.
    public static func record(topic: String, namespace: String, level: LogLevel) -> MessageProducer.Message {
        let value = try? JSONSerialization.data(withJSONObject: ["level": level.rawValue], options: [.sortedKeys])
        return MessageProducer.Message(topic: topic, key: Array((prefix + namespace).utf8), value: value.map { Array($0) })
    }

    /// The namespace and level a config topic record sets, or `nil` when it is another
    /// kind of record (or its value cannot be read).
    public static func parse(key: [UInt8]?, value: [UInt8]?) -> (namespace: String, level: LogLevel)? {
        guard let key, let text = String(bytes: key, encoding: .utf8), text.hasPrefix(prefix), let value,
            let object = (try? JSONSerialization.jsonObject(with: Data(value))) as? [String: Any],
            let level = (object["level"] as? String).flatMap(LogLevel.init(named:))
        else { return nil }
        let namespace = String(text.dropFirst(prefix.count))
        return namespace.isEmpty ? nil : (namespace, level)
    }

    /// Whether a config topic record is a logger record (applied or not, it is no connector's).
    static func isLoggerRecord(key: [UInt8]?) -> Bool {
        guard let key else { return false }
        return key.starts(with: Array(prefix.utf8))
    }
}
