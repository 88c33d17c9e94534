import Foundation
import SluiceKafka

/// Which client settings a connector config may override for its own tasks
/// (`producer.override.*`, `consumer.override.*`, `admin.override.*`): the worker's
/// `connector.client.config.override.policy`, as in Kafka Connect.
public enum ClientOverridePolicy: String, Sendable, CaseIterable {
    /// Every setting (Kafka Connect's default since 3.0).
    case all = "All"
    /// None: a connector with an override is refused.
    case none = "None"
    /// Only who the client is: `security.protocol`, `sasl.jaas.config`, `sasl.mechanism`.
    case principal = "Principal"

    /// The worker setting's name.
    public static let key = "connector.client.config.override.policy"

    /// The policy `value` names: `All`, `None` or `Principal` in any case, or Kafka's
    /// class names (`org.apache.kafka.connect.connector.policy.AllConnectorClientConfigOverridePolicy`, ...).
    public init?(named value: String) {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        let short = trimmed.hasPrefix("org.apache.kafka.connect.connector.policy.")
            ? String(trimmed.dropFirst(42).dropLast("ConnectorClientConfigOverridePolicy".count)) : trimmed
        guard let policy = Self.allCases.first(where: { $0.rawValue.lowercased() == short.lowercased() }) else { return nil }
        self = policy
    }

    /// The override prefixes, and the client each is for.
    static let prefixes = ["producer.override.", "consumer.override.", "admin.override."]

    /// The settings ``principal`` allows.
    static let principalSettings: Set<String> = ["security.protocol", "sasl.jaas.config", "sasl.mechanism"]

    /// Every override in `config` this policy does not allow, and every override
    /// value the client would not take (Kafka Connect's messages).
    public func problems(in config: [String: String]) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        for (key, value) in config.sorted(by: { $0.key < $1.key }) {
            guard let prefix = Self.prefixes.first(where: { key.hasPrefix($0) }) else { continue }
            let name = String(key.dropFirst(prefix.count))
            let allowed = self == .all || (self == .principal && Self.principalSettings.contains(name))
            if !allowed {
                problems.append(ConfigProblem(
                    name: key, value: name.hasPrefix("sasl.") || name.contains("password") ? "[hidden]" : value,
                    message: "The '\(rawValue)' policy does not allow '\(key)' to be overridden in the connector configuration."))
            }
        }
        guard problems.isEmpty else { return problems }
        for client in ["producer", "consumer"] {
            let overrides = Self.overrides(in: config, client: client)
            guard !overrides.isEmpty else { continue }
            let translated = JavaClientSettings.translate(overrides, label: client + ".override")
            problems += translated.problems.map { ConfigProblem(name: $0.name, value: $0.value, message: $0.message) }
            var probe = KafkaConfiguration()
            for (name, value) in translated.settings { probe[name] = value }
            do { try probe.validate() } catch let KafkaError.invalidProperty(name, value, reason) {
                problems.append(ConfigProblem(name: "\(client).override.\(name)", value: value, message: "Invalid value \(value) for configuration \(client).override.\(name): \(reason)"))
            } catch {
                problems.append(ConfigProblem(name: "\(client).override", value: nil, message: "\(error)"))
            }
        }
        return problems
    }

    /// `base` with the connector's `<client>.override.*` settings of `config` on top
    /// (Java client settings translated as in worker files).
    public static func applied(to base: KafkaConfiguration, client: String, config: [String: String]) -> KafkaConfiguration {
        let overrides = overrides(in: config, client: client)
        guard !overrides.isEmpty else { return base }
        var result = base
        for (name, value) in JavaClientSettings.translate(overrides, label: client + ".override").settings.sorted(by: { $0.key < $1.key }) {
            result[name] = value
        }
        return result
    }

    /// `<client>.override.*` settings of `config`, without their prefix.
    static func overrides(in config: [String: String], client: String) -> [String: String] {
        let prefix = client + ".override."
        var result: [String: String] = [:]
        for (key, value) in config where key.hasPrefix(prefix) { result[String(key.dropFirst(prefix.count))] = value }
        return result
    }
}
