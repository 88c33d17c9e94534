import SluiceRuntime

/// Settings of the datagen source, as connector config keys.
///
/// | key | meaning | default |
/// | --- | --- | --- |
/// | `record.size` | value bytes per record (≥ 12: the value starts with a (task, sequence) stamp) | 100 |
/// | `key.cardinality` | distinct keys (0: null keys) | 1000 |
/// | `iterations` | records per task, 0 for unbounded | 0 |
public struct DatagenConfig: Sendable, Equatable {
    /// Value bytes per record.
    public var recordSize: Int = 100
    /// Distinct keys; 0 writes null keys.
    public var keyCardinality: Int = 1000
    /// Records this task writes before it ends; 0 for no end.
    public var iterations: Int = 0
    /// Records per second this task writes at most; 0 for no limit.
    public var maxRecordsPerSecond: Int = 0
    /// `bytes` (a binary stamp, then filler) or `json` (`{"task":…,"seq":…,"payload":"…"}`).
    public var valueFormat: String = "bytes"

    /// Default settings.
    public init() {}

    /// Reads the keys above from a connector config.
    /// - Throws: ``SluiceRuntime/RuntimeError/invalidConfig(name:value:reason:)`` naming the key.
    public init(config: [String: String]) throws {
        recordSize = try Self.integer(config, "record.size", default: 100, minimum: DatagenRecordLayout.stampBytes)
        keyCardinality = try Self.integer(config, "key.cardinality", default: 1000, minimum: 0)
        iterations = try Self.integer(config, "iterations", default: 0, minimum: 0)
        valueFormat = config["value.format"] ?? "bytes"
        maxRecordsPerSecond = try Self.integer(config, "max.records.per.sec", default: 0, minimum: 0)
        try validate()
    }

    private static func integer(_ config: [String: String], _ name: String, default value: Int, minimum: Int) throws -> Int {
        guard let text = config[name] else { return value }
        guard let parsed = Int(text) else {
            throw RuntimeError.invalidConfig(name: name, value: text, reason: "expected an integer")
        }
        guard parsed >= minimum else {
            throw RuntimeError.invalidConfig(name: name, value: text, reason: "must be at least \(minimum)")
        }
        return parsed
    }

    /// Checks settings made in code, as ``init(config:)`` checks parsed ones.
    /// - Throws: ``SluiceRuntime/RuntimeError/invalidConfig(name:value:reason:)`` naming the setting.
    public func validate() throws {
        if recordSize < DatagenRecordLayout.stampBytes {
            throw RuntimeError.invalidConfig(
                name: "record.size", value: String(recordSize),
                reason: "must be at least \(DatagenRecordLayout.stampBytes) (the value starts with a task and sequence stamp)")
        }
        if keyCardinality < 0 {
            throw RuntimeError.invalidConfig(name: "key.cardinality", value: String(keyCardinality), reason: "must be at least 0")
        }
        if valueFormat != "bytes" && valueFormat != "json" {
            throw RuntimeError.invalidConfig(name: "value.format", value: valueFormat, reason: "expected bytes or json")
        }
        if iterations < 0 {
            throw RuntimeError.invalidConfig(name: "iterations", value: String(iterations), reason: "must be at least 0")
        }
    }

    /// The config keys that express these settings.
    public var asConfig: [String: String] {
        ["record.size": String(recordSize), "key.cardinality": String(keyCardinality), "iterations": String(iterations),
         "value.format": valueFormat, "max.records.per.sec": String(maxRecordsPerSecond)]
    }
}
