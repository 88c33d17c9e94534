/// A config checked against its ``ConfigDef``, read as typed values: what a
/// connector or the runtime uses after validation, so no setting is parsed twice or
/// read as a raw string.
///
/// ```swift
/// let values = try ConfigDef()
///     .define("batch.size", .int, default: "2000", documentation: "Lines per poll.")
///     .parse(["batch.size": "500"], owner: "my-connector")
/// values.int("batch.size")   // 500
/// ```
public struct ConfigValues: Sendable {
    private let values: [String: String]

    init(values: [String: String]) {
        self.values = values
    }

    /// A `string` or `password` setting (its default when unset; "" when it has none).
    public func string(_ name: String) -> String { values[name] ?? "" }

    /// An `int` or `long` setting (validation guarantees it parses; 0 for a setting
    /// that was not defined).
    public func int(_ name: String) -> Int { Int(string(name).trimmingCharacters(in: .whitespaces)) ?? 0 }

    /// A `boolean` setting (`true`/`false` in any case).
    public func bool(_ name: String) -> Bool { string(name).lowercased() == "true" }

    /// A `list` setting: its comma-separated items, trimmed, empty ones dropped.
    public func list(_ name: String) -> [String] {
        string(name).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

extension ConfigDef {
    /// `config` checked and read as typed values (defaults filled in).
    /// - Parameter owner: the connector (or "worker") named in the error.
    /// - Throws: ``RuntimeError/invalidConnectorConfig(connector:problems:)`` listing every bad setting.
    public func parse(_ config: [String: String], owner: String) throws -> ConfigValues {
        let problems = validate(config)
        guard problems.isEmpty else { throw RuntimeError.invalidConnectorConfig(connector: owner, problems: problems) }
        var values = config
        for key in keys where values[key.name] == nil { values[key.name] = key.defaultValue }
        return ConfigValues(values: values)
    }
}
