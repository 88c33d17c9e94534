import SluiceRuntime

/// The datagen source connector: `tasks.max` tasks, each writing its own sequence.
public final class DatagenConnector: SourceConnector {
    public let configDef = ConfigDef()
        .define("topic", .string, documentation: "The topic to write to.")
        .define("record.size", .int, default: "100", minimum: Int64(DatagenRecordLayout.stampBytes), documentation: "Value bytes per record.")
        .define("key.cardinality", .int, default: "1000", minimum: 0, documentation: "Distinct keys (0: null keys).")
        .define("iterations", .long, default: "0", minimum: 0, documentation: "Records per task, 0 for no end.")
        .define("max.records.per.sec", .long, default: "0", minimum: 0, documentation: "Records per second per task at most, 0 for no limit.")
        .define("value.format", .string, default: "bytes", allowed: ["bytes", "json"], documentation: "Binary stamped values or JSON objects.")
    private var config: [String: String] = [:]

    public init() {}

    public func start(config: [String: String]) throws { self.config = config }

    public func taskConfigs(maxTasks: Int) -> [[String: String]] {
        (0..<max(1, maxTasks)).map { _ in config }
    }

    public func makeTask() -> SourceTask { DatagenTask() }
}
