import CRdKafka

/// librdkafka properties, in the order they were set.
///
/// Every librdkafka property passes through unchanged
/// (see librdkafka's CONFIGURATION.md); a name librdkafka does not know, or a value it
/// rejects, becomes ``KafkaError/invalidProperty(name:value:reason:)`` naming it when
/// the configuration is validated or a client is created.
///
/// ```swift
/// var config = KafkaConfiguration(bootstrapServers: "127.0.0.1:9092")
/// config["compression.type"] = "lz4"
/// config["linger.ms"] = "5"
/// let producer = try Producer(topic: "events", configuration: config)
/// ```
public struct KafkaConfiguration: Sendable, Equatable {
    /// The properties, in order; a later set of the same name replaces the value.
    public private(set) var properties: [(name: String, value: String)] = []

    /// Creates an empty configuration.
    public init() {}

    /// Creates a configuration with `bootstrap.servers` set.
    public init(bootstrapServers: String) {
        self["bootstrap.servers"] = bootstrapServers
    }

    /// A property's value, or `nil` when unset. Setting `nil` removes it.
    public subscript(name: String) -> String? {
        get { properties.first { $0.name == name }?.value }
        set {
            if let index = properties.firstIndex(where: { $0.name == name }) {
                if let newValue { properties[index].value = newValue } else { properties.remove(at: index) }
            } else if let newValue {
                properties.append((name, newValue))
            }
        }
    }

    /// Parses `name=value` (as `kcat -X` and `.properties` files write it) and sets it.
    /// - Throws: ``KafkaError/invalidProperty(name:value:reason:)`` when there is no `=`.
    public mutating func set(assignment: String) throws {
        guard let equals = assignment.firstIndex(of: "=") else {
            throw KafkaError.invalidProperty(name: assignment, value: "", reason: "expected name=value")
        }
        let name = String(assignment[..<equals])
        let value = String(assignment[assignment.index(after: equals)...])
        guard !name.isEmpty else {
            throw KafkaError.invalidProperty(name: name, value: value, reason: "the property name is empty")
        }
        self[name] = value
    }

    /// Returns a copy with the properties of `other` set on top.
    public func merging(_ other: KafkaConfiguration) -> KafkaConfiguration {
        var merged = self
        for (name, value) in other.properties { merged[name] = value }
        return merged
    }

    /// The bootstrap servers, or `"(none)"`.
    public var bootstrapServers: String { self["bootstrap.servers"] ?? "(none)" }

    /// Checks every property against librdkafka without creating a client.
    public func validate() throws {
        let conf = try makeNativeConfiguration()
        rd_kafka_conf_destroy(conf)
    }

    /// Builds an `rd_kafka_conf_t`; the caller owns it (it passes to `rd_kafka_new`,
    /// or must be freed with `rd_kafka_conf_destroy`).
    func makeNativeConfiguration() throws -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError.clientCreationFailed(reason: "rd_kafka_conf_new returned NULL")
        }
        var errorText = [CChar](repeating: 0, count: 512)
        for (name, value) in properties {
            let result = rd_kafka_conf_set(conf, name, value, &errorText, errorText.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let reason = KafkaError.text(buffer: errorText)
                throw KafkaError.invalidProperty(name: name, value: value, reason: reason)
            }
        }
        return conf
    }

    public static func == (lhs: KafkaConfiguration, rhs: KafkaConfiguration) -> Bool {
        lhs.properties.elementsEqual(rhs.properties) { $0.name == $1.name && $0.value == $1.value }
    }
}
