import Foundation
/// The settings a connector accepts: name, type, default, allowed values and
/// documentation, like Kafka Connect's `ConfigDef`.
///
/// ``validate(_:)`` reports **every** invalid setting at once, so a user fixes a config
/// in one round.
///
/// ```swift
/// let definition = ConfigDef()
///     .define("file", .string, documentation: "The file to read")
///     .define("batch.size", .int, default: "2000", documentation: "Lines per batch")
/// let problems = definition.validate(["batch.size": "many"])   // file missing, batch.size not an int
/// ```
public struct ConfigDef: Sendable {
    /// A setting's type.
    public enum ValueType: String, Sendable {
        case string, int, long, boolean, list, password
    }

    /// One setting.
    public struct Key: Sendable {
        /// The setting's name.
        public var name: String
        /// The type its value must parse as.
        public var type: ValueType
        /// `nil`: required.
        public var defaultValue: String?
        /// Allowed values (empty: any).
        public var allowed: [String]
        /// Smallest allowed number, for `int` and `long`.
        public var minimum: Int64?
        /// What the setting does, for users.
        public var documentation: String
        /// The group the validate endpoint shows it in (`nil`: Common or Connector).
        public var group: String?
    }

    /// The settings, in definition order.
    public private(set) var keys: [Key] = []

    /// Creates an empty definition.
    public init() {}

    /// Whether `key`'s value must not be shown (a password type, or a secret-looking name).
    public static func isSecret(_ key: Key) -> Bool {
        key.type == .password || SecretResolver.isSecret(key.name)
    }

    /// Adds a setting.
    public func define(
        _ name: String, _ type: ValueType, default defaultValue: String? = nil, allowed: [String] = [],
        minimum: Int64? = nil, documentation: String, group: String? = nil
    ) -> ConfigDef {
        var copy = self
        copy.keys.append(Key(
            name: name, type: type, defaultValue: defaultValue, allowed: allowed, minimum: minimum,
            documentation: documentation, group: group))
        return copy
    }

    /// Every problem with `config`, one per bad setting (empty when valid).
    public func validate(_ config: [String: String]) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        for key in keys {
            guard let value = config[key.name] ?? key.defaultValue else {
                problems.append(ConfigProblem(name: key.name, value: nil, message: "Missing required configuration \"\(key.name)\" which has no default value."))
                continue
            }
            if let message = Self.check(value, against: key) {
                problems.append(ConfigProblem(name: key.name, value: value, message: message))
            }
        }
        return problems
    }

    /// The value of `name` in `config`, or its default.
    public func value(_ name: String, in config: [String: String]) -> String? {
        config[name] ?? keys.first { $0.name == name }?.defaultValue
    }

    private static func check(_ value: String, against key: Key) -> String? {
        switch key.type {
        case .int, .long:
            guard let number = Int64(value.trimmingCharacters(in: .whitespaces)) else {
                return "Invalid value \(value) for configuration \(key.name): Not a number of type \(key.type == .int ? "INT" : "LONG")"
            }
            if key.type == .int && (number < Int64(Int32.min) || number > Int64(Int32.max)) {
                return "Invalid value \(value) for configuration \(key.name): Not a number of type INT"
            }
            if let minimum = key.minimum, number < minimum {
                return "Invalid value \(value) for configuration \(key.name): Value must be at least \(minimum)"
            }
        case .boolean:
            guard ["true", "false"].contains(value.lowercased()) else {
                return "Invalid value \(value) for configuration \(key.name): Expected value to be either true or false"
            }
        case .string, .list, .password:
            break
        }
        if !key.allowed.isEmpty && !key.allowed.contains(value) {
            return "Invalid value \(value) for configuration \(key.name): String must be one of: \(key.allowed.joined(separator: ", "))"
        }
        return nil
    }
}

/// One invalid setting, as Kafka Connect's validation reports it.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    /// The setting's name.
    public var name: String
    /// The value given, or `nil` when it was missing.
    public var value: String?
    /// The problem, worded as Kafka Connect words it.
    public var message: String

    /// Creates a problem report for setting `name`.
    public init(name: String, value: String?, message: String) {
        self.name = name
        self.value = value
        self.message = message
    }

    public var description: String { message }
}

