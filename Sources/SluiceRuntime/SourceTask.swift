import SluiceCore

/// What a source task's ``SourceTask/poll(into:)`` call ended with.
public enum SourcePollResult: Sendable, Equatable {
    /// The batch filled up; more records are ready, poll again soon.
    case batchFull
    /// Everything available now was written (possibly nothing); the runner sends
    /// what the batch holds and idles before the next poll when it was empty.
    case caughtUp
    /// The source has no more records, ever (a bounded source such as a finite datagen).
    case endOfData
}

/// Identity and settings of one running task.
public struct TaskContext: Sendable {
    /// The connector's name.
    public var connectorName: String
    /// The task's number within its connector, `0..<tasks.max`.
    public var taskID: Int
    /// The task's configuration (strings, as Kafka Connect passes them).
    public var config: [String: String]
    /// Committed source offsets by source partition name, to resume from.
    public var sourceOffsets: [String: SourceOffset]
    /// The committed single-number offsets (`{"offset": N}`) by source partition name.
    public var offsets: [String: Int64] { sourceOffsets.compactMapValues(\.value) }
    /// The task's error figures (`/metrics`' `task-error-metrics`): the runner hands
    /// the task its own, so a task that handles an error itself (a file source giving
    /// up on a damaged file under `errors.tolerance=all`) reports it with
    /// ``TaskErrorCounters/recordHandledError(logged:deadLettered:)``.
    public var errors = TaskErrorCounters()

    /// Creates a context with single-number offsets.
    public init(connectorName: String, taskID: Int, config: [String: String], offsets: [String: Int64] = [:]) {
        self.init(connectorName: connectorName, taskID: taskID, config: config, sourceOffsets: offsets.mapValues { SourceOffset($0) })
    }

    /// Creates a context.
    public init(connectorName: String, taskID: Int, config: [String: String], sourceOffsets: [String: SourceOffset]) {
        self.connectorName = connectorName
        self.taskID = taskID
        self.config = config
        self.sourceOffsets = sourceOffsets
    }
}

/// A task that reads from an external system and writes records into batches,
/// the Sluice form of Kafka Connect's `SourceTask`.
///
/// The runner calls every method on the task's own pinned thread, so a task needs
/// no locking of its own. `poll(into:)` writes each record's bytes straight into the
/// batch arena with ``RecordBatch/append(keyLength:valueLength:timestampMs:partition:fill:)``
/// and returns when the batch is full or the source has nothing more for now.
///
/// ```swift
/// final class Counter: SourceTask {
///     var next = 0
///     func poll(into batch: RecordBatch) throws -> SourcePollResult {
///         while try batch.append(keyLength: -1, valueLength: 8, fill: { _, value in
///             value.storeBytes(of: next, as: Int.self) }) { next += 1 }
///         return .batchFull
///     }
/// }
/// ```
public protocol SourceTask: AnyObject {
    /// Prepares the task; called once, on the task thread, before the first poll.
    func start(context: TaskContext) throws
    /// Writes the records available now into `batch`.
    func poll(into batch: RecordBatch) throws -> SourcePollResult
    /// Called, in batch order, once every record of `batch` is acknowledged by Kafka:
    /// the source offsets it covers may be committed. Runs on the task thread; every
    /// batch acknowledged before the task ends is committed before ``stop()``.
    func commit(batch: RecordBatch)
    /// Releases the task's resources; called once, on the task thread, last.
    func stop()
    /// The name under which offsets of ``RecordBatch/sourcePartition`` `index` are
    /// stored (for example the file path), or `nil` when the task keeps no offsets.
    /// A name that is a JSON object's text is stored as that object (see ``SourcePartitionName``).
    func sourcePartitionName(_ index: Int) -> String?
    /// The offset to store for an acknowledged `batch` (whose ``RecordBatch/sourceOffset``
    /// is not negative), called in batch order on the task thread just before
    /// ``commit(batch:)``; by default `{"offset": batch.sourceOffset}`. A task whose
    /// offsets are several numbers writes a token into `sourceOffset` and answers here.
    func sourceOffset(of batch: RecordBatch) -> SourceOffset?
    /// What the bytes the task writes mean, for converters and transforms.
    var valueFormat: SourceValueFormat { get }
    /// What the bytes a task started with `config` will write mean. The runner asks
    /// this before the task starts (it sets up converters and transforms first), so a
    /// task whose format depends on its config answers from `config`; by default,
    /// ``valueFormat``.
    func valueFormat(for config: [String: String]) -> SourceValueFormat
}

extension SourceTask {
    /// Does nothing.
    public func start(context: TaskContext) throws {}
    /// Does nothing.
    public func commit(batch: RecordBatch) {}
    /// Does nothing.
    public func stop() {}
    /// No offsets.
    public func sourcePartitionName(_ index: Int) -> String? { nil }
    /// The batch's single-number offset.
    public func sourceOffset(of batch: RecordBatch) -> SourceOffset? { SourceOffset(batch.sourceOffset) }
    /// Opaque bytes.
    public var valueFormat: SourceValueFormat { .bytes }
    /// ``valueFormat``, whatever the config.
    public func valueFormat(for config: [String: String]) -> SourceValueFormat { valueFormat }
}
