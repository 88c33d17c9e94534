import SluiceRuntime

/// Builds a chain of one transform `type` (Kafka's class name) with `settings` under `transforms.t.`.
func chain(_ type: String, _ settings: [String: String] = [:]) throws -> TransformChain {
    var config = ["transforms": "t", "transforms.t.type": type]
    for (name, value) in settings { config["transforms.t." + name] = value }
    return try TransformChain(config: config)
}

/// Runs `record` through `chain` and returns what came out (`nil` when dropped).
func run(_ chain: TransformChain, _ record: ConnectRecord) throws -> ConnectRecord? {
    var copy = record
    return try chain.apply(&copy) ? copy : nil
}

/// The configuration error a chain of one transform gives, or `nil` when it builds.
func configError(_ type: String, _ settings: [String: String] = [:]) -> RuntimeError? {
    do {
        _ = try chain(type, settings)
        return nil
    } catch {
        return error as? RuntimeError
    }
}

/// An object value from name/value pairs, in order.
func object(_ pairs: KeyValuePairs<String, ConnectValue>) -> ConnectValue {
    .object(pairs.map { ConnectField($0.key, $0.value) })
}

/// Whether a chain of one transform `type` with `settings` is refused with a
/// configuration error that names `transforms.t.<setting>`.
func isRefused(_ type: String, _ settings: [String: String], naming setting: String) -> Bool {
    configError(type, settings)?.description.contains("'transforms.t.\(setting)'") == true
}
