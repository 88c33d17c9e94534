import Foundation

/// `header.converter`, in a worker file or a connector config.
///
/// Sluice's tasks write header values as bytes, and Sluice passes them to Kafka and
/// back unchanged. Kafka Connect's `SimpleHeaderConverter` (its default),
/// `StringConverter` and `ByteArrayConverter` write a string or a byte array header
/// as exactly those bytes, so those three are accepted and mean that. Another class
/// would change the bytes in a way Sluice does not do, so it is refused, never taken
/// and ignored.
public enum HeaderConverterSetting {
    /// The setting's name.
    public static let key = "header.converter"

    /// The class names accepted, short and full.
    static let accepted: Set<String> = [
        "org.apache.kafka.connect.storage.SimpleHeaderConverter", "SimpleHeaderConverter",
        "org.apache.kafka.connect.storage.StringConverter", "StringConverter",
        "org.apache.kafka.connect.converters.ByteArrayConverter", "ByteArrayConverter",
    ]

    /// A problem when `config` names a header converter Sluice cannot honour.
    public static func problems(in config: [String: String]) -> [ConfigProblem] {
        guard let value = config[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty, !accepted.contains(value) else {
            return []
        }
        return [ConfigProblem(
            name: key, value: value,
            message: "Sluice passes header bytes through unchanged, as SimpleHeaderConverter, StringConverter and ByteArrayConverter do for string and byte array headers; \(value) is not supported")]
    }
}
