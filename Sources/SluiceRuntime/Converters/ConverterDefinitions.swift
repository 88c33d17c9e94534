/// The settings of each converter and header converter Sluice accepts, with the
/// names, types, defaults and groups of Kafka's `ConverterConfig`,
/// `JsonConverterConfig` and `StringConverterConfig`: what
/// `GET /connector-plugins/{converter}/config` lists, and what ``ConverterFactory``
/// checks under a converter's prefix (`value.converter.decimal.format`, ...).
///
/// Every listed setting is either honoured or has nothing to act on in Sluice, which
/// its documentation says (a converter's settings are never silently dropped):
/// - `converter.type` is set by the runtime from the role, as Kafka Connect sets it.
/// - `schemas.cache.size`: Sluice's `JsonConverter` keeps no schema cache (checked as an int).
/// - `decimal.format`: decimals are written by the SQL source, which honours it.
/// - `replace.null.with.default`: Sluice's schemas carry no field defaults, so a null
///   stays null either way (checked as a boolean).
/// - `converter.encoding`: UTF-8 only; any other charset is refused.
package enum ConverterDefinitions {
    /// `decimal.format`'s values, as Kafka names them (case-insensitive).
    package static let decimalFormats = ["BASE64", "NUMERIC"]

    /// The settings of converter `className` (full or simple class name), or `nil`
    /// for a class Sluice does not have.
    package static func definition(of className: String) -> ConfigDef? {
        switch className.split(separator: ".").last.map(String.init) ?? className {
        case "JsonConverter":
            return typed()
                .define("schemas.enable", .boolean, default: "true", documentation: "Include schemas within each of the serialized values and keys.", group: "Schemas")
                .define(
                    "schemas.cache.size", .int, default: "1000",
                    documentation: "The maximum number of schemas that can be cached in this converter instance. Sluice's JsonConverter keeps no schema cache: the value is checked and has no effect.",
                    group: "Schemas")
                .define(
                    "decimal.format", .string, default: "BASE64", allowed: decimalFormats,
                    documentation: "How decimals are written: BASE64 (the unscaled value's bytes, the default) or NUMERIC (a JSON number), in any case. Decimals come from the SQL source, which honours it.",
                    group: "Serialization")
                .define(
                    "replace.null.with.default", .boolean, default: "true",
                    documentation: "Whether a null field with a default value is written as the default. Sluice's schemas carry no field defaults, so a null is written as null either way.",
                    group: "Serialization")
        case "StringConverter":
            return typed().define(
                "converter.encoding", .string, default: "UTF8",
                documentation: "The character set strings are written in. Sluice reads and writes UTF-8 only: UTF8 or UTF-8, in any case.")
        case "ByteArrayConverter":
            return typed()
        case "SimpleHeaderConverter":
            return ConfigDef()
        default:
            return nil
        }
    }

    /// Kafka's `converter.type`, which every `ConverterConfig` defines.
    private static func typed() -> ConfigDef {
        ConfigDef().define(
            "converter.type", .string, allowed: ["key", "value", "header"],
            documentation: "How this converter will be used. The runtime sets it from the role (key.converter, value.converter, header.converter).")
    }

    /// The problems with the settings under `prefix` (`value.converter`) for converter
    /// `className`: each setting its definition has (but `converter.type`), checked as
    /// Kafka checks it, and `converter.encoding` other than UTF-8. Empty when fine.
    package static func problems(prefix: String, className: String, config: [String: String]) -> [ConfigProblem] {
        guard let definition = definition(of: className) else { return [] }
        var settings: [String: String] = [:]
        for key in definition.keys where key.name != "converter.type" {
            guard var value = config["\(prefix).\(key.name)"] else { continue }
            if key.name == "decimal.format" { value = value.uppercased() }
            settings[key.name] = value
        }
        if definition.keys.contains(where: { $0.name == "converter.type" }) { settings["converter.type"] = "value" }  // the runtime's
        var problems = definition.validate(settings).map {
            ConfigProblem(name: "\(prefix).\($0.name)", value: $0.value, message: $0.message.replacing("configuration \($0.name)", with: "configuration \(prefix).\($0.name)"))
        }
        if let encoding = settings["converter.encoding"], !["UTF8", "UTF-8"].contains(encoding.uppercased()) {
            problems.append(ConfigProblem(
                name: "\(prefix).converter.encoding", value: encoding,
                message: "Invalid value \(encoding) for configuration \(prefix).converter.encoding: Sluice's StringConverter reads and writes UTF-8 only"))
        }
        return problems
    }
}
