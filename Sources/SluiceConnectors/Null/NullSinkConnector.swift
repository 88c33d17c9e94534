import Atomics
import SluiceKafka
import SluiceRuntime

/// A sink that counts what it is given and throws it away: the fastest possible sink,
/// for measuring the consume path. With `verify.datagen=true` it also checks datagen
/// stamps with a ``DatagenVerifier``.
public final class NullSinkConnector: SinkConnector {
    public let configDef = ConfigDef()
        .define("topics", .list, default: "", documentation: "Topics to read.")
    private var config: [String: String] = [:]

    public init() {}

    public func start(config: [String: String]) throws { self.config = config }

    public func taskConfigs(maxTasks: Int) -> [[String: String]] {
        (0..<max(1, maxTasks)).map { _ in config }
    }

    public func makeTask() -> SinkTask { NullSinkTask() }
}

/// Counts records.
public final class NullSinkTask: SinkTask {
    /// Records put so far.
    public let records = ManagedAtomic<Int>(0)

    public init() {}

    public func put(_ batch: ConsumedBatch) throws {
        records.wrappingIncrement(by: batch.count, ordering: .relaxed)
    }

    public func put(records converted: [ConnectRecord]) throws {
        records.wrappingIncrement(by: converted.count, ordering: .relaxed)
    }
}
