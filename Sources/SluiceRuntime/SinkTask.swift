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
    /// Makes everything put so far durable.
    func flush() throws
    /// Releases the task's resources; called once, last.
    func stop()
}

extension SinkTask {
    /// Does nothing.
    public func start(context: TaskContext) throws {}
    /// Does nothing.
    public func flush() throws {}
    /// Does nothing.
    public func stop() {}
}
