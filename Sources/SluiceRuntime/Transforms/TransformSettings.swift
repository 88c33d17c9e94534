import Foundation

/// The settings of one transform or predicate, read under its prefix
/// (`transforms.<name>.` or `predicates.<name>.`), so that an error names the full key.
package struct TransformSettings {
    /// `transforms.<name>.` or `predicates.<name>.`.
    package let prefix: String
    /// The connector's whole config.
    package let config: [String: String]

    package init(prefix: String, config: [String: String]) {
        self.prefix = prefix
        self.config = config
    }

    /// The class name (`type`), as written.
    package var type: String { config[prefix + "type"] ?? "" }

    /// The class name without its package (`InsertField$Value`).
    package var simpleType: String { type.split(separator: ".").last.map(String.init) ?? type }

    /// `$Key` or `$Value`, from the class name.
    package var part: InsertField.Part { simpleType.hasSuffix("$Key") ? .key : .value }

    /// The setting `name`, or `nil` when it is absent.
    package func value(_ name: String) -> String? { config[prefix + name] }

    /// The comma-separated list `name` (empty when absent).
    package func list(_ name: String) -> [String] { Self.list(config[prefix + name]) }

    /// The setting `name`, which must be present and not blank.
    /// - Throws: ``RuntimeError/invalidConfig(name:value:reason:)`` naming the full key.
    package func required(_ name: String, _ meaning: String) throws -> String {
        let text = (config[prefix + name] ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw invalid(name, reason: "\(simpleType) needs \(meaning)") }
        return text
    }

    /// The list `name`, which must name at least one entry.
    package func requiredList(_ name: String, _ meaning: String) throws -> [String] {
        let entries = list(name)
        guard !entries.isEmpty else { throw invalid(name, reason: "\(simpleType) needs \(meaning)") }
        return entries
    }

    /// A configuration error for the setting `name`.
    package func invalid(_ name: String, reason: String) -> RuntimeError {
        .invalidConfig(name: prefix + name, value: config[prefix + name] ?? "", reason: reason)
    }

    /// Splits a comma-separated list, trimming blanks and dropping empty entries.
    package static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
    }
}
