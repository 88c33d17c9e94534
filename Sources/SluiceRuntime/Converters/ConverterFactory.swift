/// Builds converters from connector or worker settings (`key.converter`,
/// `value.converter`, `value.converter.schemas.enable`, ...), accepting Kafka
/// Connect's class names.
public enum ConverterFactory {
    /// The converter configured under `prefix` (`key.converter` or `value.converter`),
    /// or `defaultName` when none is set.
    /// - Throws: ``RuntimeError/invalidConfig(name:value:reason:)`` for an unknown class
    ///   or a bad setting of the converter's (``ConverterDefinitions``).
    public static func make(prefix: String, config: [String: String], defaultName: String) throws -> any Converter {
        let name = config[prefix] ?? defaultName
        if let problem = ConverterDefinitions.problems(prefix: prefix, className: name, config: config).first {
            let reason = problem.message.split(separator: ": ", maxSplits: 1).last.map(String.init) ?? problem.message
            throw RuntimeError.invalidConfig(name: problem.name, value: problem.value ?? "", reason: reason)
        }
        switch name.split(separator: ".").last.map(String.init) ?? name {
        case "ByteArrayConverter", "bytes": return ByteArrayConverter()
        case "StringConverter", "string": return StringConverter()
        case "JsonConverter", "json":
            let enabled = (config["\(prefix).schemas.enable"] ?? "true").lowercased()
            guard enabled == "true" || enabled == "false" else {
                throw RuntimeError.invalidConfig(name: "\(prefix).schemas.enable", value: enabled, reason: "expected true or false")
            }
            return JsonConverter(schemasEnabled: enabled == "true")
        default:
            throw RuntimeError.invalidConfig(
                name: prefix, value: name,
                reason: "unknown converter; known: org.apache.kafka.connect.storage.StringConverter, org.apache.kafka.connect.json.JsonConverter, org.apache.kafka.connect.converters.ByteArrayConverter")
        }
    }
}
