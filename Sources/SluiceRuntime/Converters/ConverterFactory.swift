/// Builds converters from connector or worker settings (`key.converter`,
/// `value.converter`, `value.converter.schemas.enable`, ...), accepting Kafka
/// Connect's class names.
public enum ConverterFactory {
    /// The converter configured under `prefix` (`key.converter` or `value.converter`),
    /// or `defaultName` when none is set.
    public static func make(prefix: String, config: [String: String], defaultName: String) throws -> any Converter {
        let name = config[prefix] ?? defaultName
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
