import SluiceCore

/// One task running on its own pinned thread: a ``SourceTaskRunner`` or a
/// ``SinkTaskRunner``. The ``Worker`` holds its tasks as task runners, so what it
/// does with a task (start, stop, supervise, measure) is the same for both kinds.
///
/// Every call into the task itself (`start`, `poll`/`put`, `commit`/`flush`,
/// `stop`) happens on the runner's thread, in order, with the task's `stop()` last.
public protocol TaskRunner: AnyObject, Sendable {
    /// The task's identity and configuration.
    var context: TaskContext { get }
    /// Where the runner is (final after ``join()``).
    var state: TaskState { get }
    /// Why the task failed, when ``state`` is ``TaskState/failed``.
    var error: (any Error)? { get }
    /// The counters `/metrics` reads while the task runs.
    var counters: TaskCounters { get }
    /// Starts the runner's thread(s).
    func start() throws
    /// Asks the task to stop; what it has taken in is still delivered or flushed.
    func stop()
    /// Waits until the runner's thread(s) have ended.
    func join()
}

/// What a running task exposes to metrics: its task stage, its error figures, and
/// for sources the producer stage and the producer's queue.
public struct TaskCounters: Sendable {
    /// Source or sink.
    public var isSource: Bool
    /// The task's polling (source) or putting (sink) stage.
    public var task: StageCounters
    /// The producer stage (sources only): records acknowledged by Kafka.
    public var produce: StageCounters?
    /// Kafka Connect's task error metrics.
    public var errors: TaskErrorCounters
    /// Records handed to the producer and not yet acknowledged (sources only).
    public var outstanding: (@Sendable () -> Int)?

    /// Counters of a task.
    public init(
        isSource: Bool, task: StageCounters, produce: StageCounters? = nil, errors: TaskErrorCounters = TaskErrorCounters(),
        outstanding: (@Sendable () -> Int)? = nil
    ) {
        self.isSource = isSource
        self.task = task
        self.produce = produce
        self.errors = errors
        self.outstanding = outstanding
    }
}
