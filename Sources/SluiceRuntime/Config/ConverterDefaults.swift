/// A worker's converter settings (`key.converter`, `value.converter` and their
/// options such as `value.converter.schemas.enable`),
/// which are the defaults of every connector the worker runs, as in Kafka Connect.
///
/// A connector that names a converter class itself configures that converter from
/// its own settings only: the worker's options for that role are not mixed in
/// (Kafka Connect's `Worker` does the same), so `value.converter=...JsonConverter`
/// in a connector with no `value.converter.schemas.enable` gets the converter's
/// default, not the worker's setting.
///
/// ```swift
/// let defaults = ConverterDefaults(properties: ["value.converter": "org.apache.kafka.connect.json.JsonConverter",
///                                                "value.converter.schemas.enable": "false"])
/// defaults.applied(to: ["topic": "t"])  // gains both settings
/// ```
public struct ConverterDefaults: Sendable, Equatable {
    /// The converter roles a worker can set defaults for.
    static let roles = ["key.converter", "value.converter"]

    /// The worker's converter settings, by name.
    public let settings: [String: String]

    /// The converter settings among a worker's `properties`.
    public init(properties: [String: String]) {
        settings = properties.filter { Self.role(of: $0.key) != nil }
    }

    /// The role (`value.converter`, ...) a setting configures, or nil for other settings.
    static func role(of name: String) -> String? {
        roles.first { name == $0 || name.hasPrefix($0 + ".") }
    }

    /// `config` with the worker's settings for every converter role it does not name.
    public func applied(to config: [String: String]) -> [String: String] {
        var result = config
        for (name, value) in settings {
            guard let role = Self.role(of: name), config[role] == nil, config[name] == nil else { continue }
            result[name] = value
        }
        return result
    }

    /// Problems with the worker's converter settings (an unknown class, a bad
    /// `schemas.enable`), named as the worker's settings.
    func problems() -> [ConfigProblem] {
        Self.roles.compactMap { role in
            guard settings[role] != nil else { return nil }
            do {
                _ = try ConverterFactory.make(prefix: role, config: settings, defaultName: "bytes")
                return nil
            } catch let RuntimeError.invalidConfig(name, value, reason) {
                return ConfigProblem(name: name, value: value, message: "Invalid value \(value) for configuration \(name): \(reason)")
            } catch {
                return ConfigProblem(name: role, value: settings[role], message: "\(error)")
            }
        }
    }
}
