import SluiceKafka

/// A task that writes records consumed from Kafka to an external system, the Sluice
/// form of Kafka Connect's `SinkTask`.
///
/// The runner calls every method on the task's own thread. ``put(_:)`` receives the
/// records as views into librdkafka's buffers, valid only during the call. Offsets of
/// everything put so far are committed to Kafka only after ``flush()`` returns, so a
/// task must make its writes durable in `flush`.
public protocol SinkTask: AnyObject {
    /// Prepares the task; called once, before the first put.
    func start(context: TaskContext) throws
    /// Writes (or buffers) the records of `batch`.
    func put(_ batch: ConsumedBatch) throws
    /// Writes (or buffers) records that went through the connector's converters and
    /// transforms (used instead of `put(_:)` when the connector configures any), each
    /// with its consumed headers and offset as the transforms left them.
    func put(records: [ConnectRecord]) throws
    /// Makes everything put so far durable.
    func flush() throws
    /// Releases the task's resources; called once, last.
    func stop()
}

extension SinkTask {
    /// Refuses: the task only takes records as stored in Kafka.
    public func put(records: [ConnectRecord]) throws {
        throw RuntimeError.invalidConfig(
            name: "value.converter", value: "", reason: "this sink writes records as stored in Kafka; remove its converters and transforms")
    }

    /// Does nothing.
    public func start(context: TaskContext) throws {}
    /// Does nothing.
    public func flush() throws {}
    /// Does nothing.
    public func stop() {}
}
