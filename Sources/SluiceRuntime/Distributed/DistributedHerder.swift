import Atomics
import Foundation
import SluiceCore
import SluiceKafka
import Synchronization

/// A distributed worker: one member of a cluster of workers that share connectors
/// and tasks through Kafka, as Kafka Connect's distributed mode.
///
/// - Configs live in the config topic, source offsets in the offset topic,
///   states in the status topic; every worker reads all three, so any worker can
///   answer any REST request.
/// - Membership comes from Kafka's group coordinator (``GroupMember``); the
///   elected leader assigns connectors and tasks (``IncrementalAssignor``), so
///   tasks that stay put keep running through a rebalance.
/// - When a worker dies, the coordinator drops it after `session.timeout.ms`; the
///   next assignment gives its tasks to the survivors, which resume them from the
///   offsets in the offset topic.
///
/// Threads: the membership thread (join, heartbeat), the herder thread (reads the
/// topics, starts and stops tasks, flushes offsets) and the callers of the
/// request methods (the REST server), and the thread that tails the internal topics
/// (``InternalTopicTail``, the only one that reads them). Shared state is behind
/// `lock`; `configWriteLock` only serialises the leader's config writes;
/// `computeLock` serialises starting connectors for their task configs, which may
/// take long and so never happens under `lock`.
public final class DistributedHerder: Herder, GroupMemberDelegate, @unchecked Sendable {
    /// The worker's settings.
    public let config: DistributedWorkerConfig
    /// This worker's id (`host:port` of its REST listener), as in statuses.
    public let workerID: String
    /// This worker's REST URL.
    public let url: String
    /// The connector classes this worker knows.
    public let registry: ConnectorRegistry
    let producer: MessageProducer
    let member: GroupMember
    let offsets: KafkaOffsetStore
    var resolver: SecretResolver { config.resolver }
    let log: @Sendable (String) -> Void
    /// Reads the config, status and offset topics (set by ``start()``).
    var topics: InternalTopicTail!
    let lock = NSLock()
    /// Serialises the leader's check-then-write of connector configs.
    let configWriteLock = NSLock()
    /// Serialises computing task configs (starting a connector), outside `lock`; see
    /// ``computedTaskConfigs(of:)``. Taken before `lock`, never while holding it.
    let computeLock = NSLock()
    var state = HerderState()
    private var thread: PinnedThread?
    let running = ManagedAtomic<Bool>(false)
    /// Runs the tasks this herder decides this worker runs.
    public let worker: Worker
    /// Counters for `/metrics`.
    public var metrics: WorkerMetrics { worker.metrics }
    /// The topics each connector used (KIP-558), kept in the status topic as Kafka
    /// Connect keeps them; `nil` with `topic.tracking.enable=false`.
    public let activeTopics: ActiveTopics?
    /// Whether REST may reset them (`topic.tracking.allow.reset`).
    public var topicTrackingAllowsReset: Bool { config.base.topicTrackingAllowsReset }
    /// The loggers cluster-wide levels from the config topic are set on.
    let logLevels: LogLevels
    /// Whether logger records read now are applied (those read at start are not).
    let appliesClusterLoggerLevels = ManagedAtomic<Bool>(false)
    /// When the herder thread last began a round (monotonic nanoseconds; 0 before its first).
    let lastRound = ManagedAtomic<UInt64>(0)
    /// What the herder thread is doing in its round, for `GET /health`.
    let roundStep = Mutex<String>("starting")

    /// Active topics whose changes are written to the status topic, in order, off the
    /// task threads that find them (a write waits for Kafka's acknowledgement).
    private static func statusTopicBackedTopics(
        config: DistributedWorkerConfig, producer: MessageProducer, log: @escaping @Sendable (String) -> Void
    ) -> ActiveTopics {
        let queue = DispatchQueue(label: "sluice-active-topics")
        let statusTopic = config.statusTopic
        return ActiveTopics { entry, topic, connector in
            let message = MessageProducer.Message(
                topic: statusTopic, key: Array(ActiveTopics.statusKey(topic: topic, connector: connector).utf8),
                value: entry.map(ActiveTopics.statusValue))
            queue.async {
                do { try producer.send([message]) } catch { log("writing the active topic \(topic) of connector \(connector) failed: \(error)") }
            }
        }
    }

    /// Creates a worker; nothing runs until ``start()``.
    /// - Parameters:
    ///   - restAddress: the `host:port` the REST server listens on (known once it is bound).
    ///   - log: where the worker's log lines go.
    public init(
        config: DistributedWorkerConfig, registry: ConnectorRegistry, restAddress: String,
        log: @escaping @Sendable (String) -> Void = { print($0) }, logLevels: LogLevels = .shared
    ) throws {
        self.config = config
        self.logLevels = logLevels
        self.registry = registry
        self.log = log
        let host = config.advertisedHost ?? (config.restHost == "0.0.0.0" ? "127.0.0.1" : config.restHost)
        let port = restAddress.split(separator: ":").last.map(String.init) ?? String(config.restPort)
        workerID = "\(host):\(port)"
        url = "http://\(host):\(port)/"
        producer = try MessageProducer(configuration: config.clientConfiguration)
        offsets = KafkaOffsetStore(topic: config.offsetTopic, producer: producer)
        activeTopics = config.base.topicTrackingEnabled ? Self.statusTopicBackedTopics(config: config, producer: producer, log: log) : nil
        var workerSettings = Worker.Settings(config: config.base)
        workerSettings.activeTopics = activeTopics
        worker = Worker(settings: workerSettings, registry: registry, offsets: offsets, resolver: config.resolver, log: log)
        var settings = GroupMember.Settings(groupID: config.groupID, bootstrapServers: config.base.bootstrapServers)
        settings.sessionTimeoutMs = config.sessionTimeoutMs
        settings.heartbeatIntervalMs = config.heartbeatIntervalMs
        settings.rebalanceTimeoutMs = config.rebalanceTimeoutMs
        member = GroupMember(settings: settings)
    }

    /// The Kafka cluster's id, once started.
    public var clusterID: String { lock.withLock { state.clusterID } }
    /// The Kafka cluster's id, once started.
    public var kafkaClusterID: String { clusterID }
    /// The worker's `connector.client.config.override.policy`.
    public var clientOverridePolicy: ClientOverridePolicy { config.base.clientOverridePolicy }

    /// Checks the cluster, creates the internal topics if missing, reads them, joins
    /// the group and starts the herder thread.
    /// - Throws: ``WorkerStartError`` naming what is wrong (unreachable brokers, an
    ///   internal topic that is not compacted or has the wrong partition count).
    public func start() throws {
        let clusterID = try InternalTopics(config: config, log: log).ensure()
        lock.withLock { state.clusterID = clusterID }
        topics = try InternalTopicTail(
            configTopic: config.configTopic, statusTopic: config.statusTopic, offsetTopic: config.offsetTopic,
            configuration: readerConfiguration(), log: log
        ) { [unowned self] topic, entry in
            switch topic {
            case .config:
                if ClusterLoggerLevel.isLoggerRecord(key: entry.key) {
                    // Levels set before this worker started are not applied (KIP-976).
                    if appliesClusterLoggerLevels.load(ordering: .acquiring), let (namespace, level) = ClusterLoggerLevel.parse(key: entry.key, value: entry.value) {
                        logLevels.set(namespace, to: level)
                    }
                    return
                }
                ingestConfig(entry)
            case .status:
                if let key = entry.key, activeTopics?.apply(key: String(decoding: key, as: UTF8.self), value: entry.value) == true { return }
                lock.withLock { state.statuses.apply(entry) }
            case .offsets: offsets.apply(entry)
            }
        }
        try topics.readAllToEnd(timeoutMs: 30_000)
        appliesClusterLoggerLevels.store(true, ordering: .releasing)
        lock.withLock { state.pendingChanges.removeAll() }
        try topics.start()
        running.store(true, ordering: .releasing)
        thread = try PinnedThread(name: "sluice-herder") { [self] in runLoop() }
        try member.start(delegate: self)
        log("worker \(workerID) joining group '\(config.groupID)' at \(config.base.bootstrapServers)")
    }

    /// Stops gracefully: leaves the group (so others take over at once), stops
    /// every task (each gets `task.shutdown.graceful.timeout.ms` to deliver what it
    /// has), flushes offsets.
    /// - Returns: this worker's tasks that were FAILED when it stopped (failed and
    ///   waiting for a retry, out of retries, or failed while stopping), so the
    ///   process can exit non-zero.
    @discardableResult
    public func stop() -> [ConnectorTaskID] {
        member.stop()
        running.store(false, ordering: .releasing)
        thread?.join()
        thread = nil
        let waiting = lock.withLock { Set(state.restarts.keys) }
        let stopped = worker.stopAll()
        let failed = waiting.union(stopped.filter { $0.runner.state == .failed }.map(\.id))
            .subtracting(stopped.filter { $0.runner.state != .failed }.map(\.id))
        flushOffsets()
        topics?.stop()
        log("worker \(workerID) stopped" + (failed.isEmpty ? "" : "; tasks FAILED: \(failed.sorted().map(\.description).joined(separator: ", "))"))
        return failed.sorted()
    }

    func readerConfiguration() -> KafkaConfiguration {
        var config = self.config.clientConfiguration
        config["fetch.wait.max.ms"] = "50"
        return config
    }

    /// Waits until the config topic is read to its end (what changed is queued for
    /// the herder thread).
    func catchUpConfig(timeoutMs: Int) throws {
        try topics.sync(.config, timeoutMs: timeoutMs)
    }

    /// Waits until the offset topic is read to its end.
    func readOffsets(timeoutMs: Int) {
        do {
            try topics.sync(.offsets, timeoutMs: timeoutMs)
        } catch {
            log("could not read the offset topic to its end: \(error)")
        }
    }

    func ingestConfig(_ entry: TopicReader.Entry) {
        lock.withLock {
            let change = state.configs.apply(entry)
            if change != .none { state.pendingChanges.append(change) }
        }
    }

    // MARK: - The herder thread

    private func runLoop() {
        var lastFlush = MonotonicClock.nanoseconds()
        var lastRecheck: UInt64 = 0
        func step(_ name: String) { roundStep.withLock { $0 = name } }
        while running.load(ordering: .acquiring) {
            step("waiting for its next round")
            usleep(10_000)
            lastRound.store(MonotonicClock.nanoseconds(), ordering: .releasing)
            step("waiting for the herder's state lock")
            if lock.withLock({ state.membershipLost }) {
                lock.withLock { state.membershipLost = false }
                step("stopping tasks after losing the group membership")
                stopAllTasks(reason: "lost group membership")
            }
            if let assignment = lock.withLock({ () -> WorkerAssignment? in
                defer { state.pendingAssignment = nil }
                return state.pendingAssignment
            }) {
                step("applying a new assignment of connectors and tasks")
                apply(assignment)
            }
            let changes = lock.withLock { () -> [ClusterConfigState.Change] in
                defer { state.pendingChanges.removeAll() }
                return state.pendingChanges
            }
            step("applying config changes")
            for change in changes { handle(change) }
            step("supervising tasks")
            superviseTasks()
            // Rechecks are due every table.poll.interval.ms (a minute by default): looking
            // four times a second spares comparing every connector's config each 10 ms tick.
            if MonotonicClock.nanoseconds() - lastRecheck >= 250_000_000 {
                lastRecheck = MonotonicClock.nanoseconds()
                step("rechecking the task configs of monitoring connectors")
                recheckMonitoredConnectors()
            }
            if MonotonicClock.nanoseconds() - lastFlush >= UInt64(config.base.flushIntervalMs) * 1_000_000 {
                lastFlush = MonotonicClock.nanoseconds()
                step("flushing offsets")
                flushOffsets()
            }
        }
    }

    /// Unhealthy when the herder thread has not begun a round (it begins one every
    /// 10 ms) for longer than `timeout`: config changes, assignments and restarts would
    /// wait for it. Says what the thread was doing, as Kafka Connect names the worker's
    /// last known action.
    public func healthProblem(timeout: Double) -> String? {
        let last = lastRound.load(ordering: .acquiring)
        guard last > 0 else { return nil }
        let seconds = Double(MonotonicClock.nanoseconds() &- last) / 1e9
        guard seconds > timeout else { return nil }
        let step = roundStep.withLock { $0 }
        return "The herder thread has not begun a round for \(Int(seconds)) s; it was \(step)."
    }

    func flushOffsets() {
        do { try worker.flushOffsets() } catch { log("offset flush failed (kept for the next flush): \(error)") }
    }

    func writeStatus(_ messages: [MessageProducer.Message]) {
        do { try producer.send(messages) } catch { log("writing status failed: \(error)") }
    }

    func connectorStatusRecord(_ name: String, _ status: StatusState, trace: String? = nil) -> MessageProducer.Message {
        let generation = lock.withLock { state.generation }
        return ClusterStatus.connectorRecord(
            topic: config.statusTopic, name: name,
            status: StatusEntry(state: status, workerID: workerID, trace: trace, generation: generation))
    }

    func taskStatusRecord(_ id: ConnectorTaskID, _ status: StatusState, trace: String? = nil) -> MessageProducer.Message {
        let generation = lock.withLock { state.generation }
        return ClusterStatus.taskRecord(
            topic: config.statusTopic, task: id,
            status: StatusEntry(state: status, workerID: workerID, trace: trace, generation: generation))
    }

    // MARK: - GroupMemberDelegate (the membership thread)

    public func joinMetadata() -> [UInt8] {
        let metadata = lock.withLock { () -> WorkerMetadata in
            state.rebalancing = true
            return WorkerMetadata(
                workerID: workerID, url: url, configOffset: state.configs.offset,
                connectors: state.assignment?.connectors ?? [], tasks: state.assignment?.tasks ?? [])
        }
        return Array((try? JSONEncoder().encode(metadata)) ?? Data())
    }

    public func assign(generation: Int32, leaderID: String, members: [(id: String, metadata: [UInt8])]) -> [String: [UInt8]] {
        let decoded = members.compactMap { member -> (String, WorkerMetadata)? in
            guard let metadata = try? JSONDecoder().decode(WorkerMetadata.self, from: Data(member.metadata)) else {
                log("ignoring a group member with unreadable metadata: \(member.id)")
                return nil
            }
            return (member.id, metadata)
        }
        // Assign from a config view at least as new as every member's.
        do { try catchUpConfig(timeoutMs: 10_000) } catch { log("leader could not read the config topic to its end: \(error)") }
        let (connectors, tasks, offset) = lock.withLock { () -> ([String], [ConnectorTaskID], Int64) in
            let names = state.configs.connectors.keys.sorted()
            var tasks: [ConnectorTaskID] = []
            for name in names where state.configs.targetState(of: name) != .stopped {
                let count = taskCount(of: name)
                tasks += (0..<count).map { ConnectorTaskID(connector: name, task: $0) }
            }
            return (names, tasks, state.configs.offset)
        }
        let leaderURL = decoded.first { $0.0 == leaderID }?.1.url ?? url
        let connectorShares = IncrementalAssignor.balance(
            owned: Dictionary(uniqueKeysWithValues: decoded.map { ($0.0, $0.1.connectors) }), desired: connectors)
        let taskShares = IncrementalAssignor.balance(
            owned: Dictionary(uniqueKeysWithValues: decoded.map { ($0.0, $0.1.tasks) }), desired: tasks)
        var result: [String: [UInt8]] = [:]
        for (memberID, metadata) in decoded {
            let assignment = WorkerAssignment(
                leader: decoded.first { $0.0 == leaderID }?.1.workerID ?? workerID, leaderURL: leaderURL,
                configOffset: offset,
                connectors: connectorShares[memberID]?.assigned ?? [], tasks: taskShares[memberID]?.assigned ?? [],
                revokedConnectors: connectorShares[memberID]?.revoked ?? [], revokedTasks: taskShares[memberID]?.revoked ?? [])
            result[memberID] = Array((try? JSONEncoder().encode(assignment)) ?? Data())
            log("generation \(generation): \(metadata.workerID) runs \(assignment.tasks.count) tasks, \(assignment.connectors.count) connectors; revoked \(assignment.revokedTasks.count) tasks")
        }
        return result
    }

    public func assigned(generation: Int32, memberID: String, leaderID: String, assignment: [UInt8]) {
        guard let decoded = try? JSONDecoder().decode(WorkerAssignment.self, from: Data(assignment)) else {
            log("generation \(generation): unreadable assignment, rejoining")
            member.requestRejoin()
            return
        }
        lock.withLock {
            state.generation = generation
            state.leaderID = decoded.leader
            state.leaderURL = decoded.leaderURL
            state.pendingAssignment = decoded
            state.isLeader = memberID == leaderID
        }
        metrics.rebalances.store(member.rebalances.load(ordering: .relaxed), ordering: .relaxed)
        metrics.rebalanceMillis.store(member.rebalanceMillis.load(ordering: .relaxed), ordering: .relaxed)
    }

    public func membershipLost(reason: String) {
        log("lost group membership: \(reason); stopping this worker's tasks")
        lock.withLock { state.membershipLost = true }
    }
}

/// The mutable state of a ``DistributedHerder``, behind its lock.
struct HerderState {
    var clusterID = ""
    var configs = ClusterConfigState()
    var statuses = ClusterStatus()
    var generation: Int32 = -1
    var leaderID = ""
    var leaderURL = ""
    var isLeader = false
    var rebalancing = true
    var assignment: WorkerAssignment?
    var pendingAssignment: WorkerAssignment?
    var membershipLost = false
    var pendingChanges: [ClusterConfigState.Change] = []
    var restarts: [ConnectorTaskID: (attempts: Int, due: UInt64?)] = [:]
    var reportedFailures: Set<ConnectorTaskID> = []
    /// When a ``MonitoringConnector``'s entry is due for a recheck (monotonic nanoseconds); nil: never.
    var taskConfigCache: [String: (config: [String: String], tasks: Result<[[String: String]], RuntimeError>, recheckAt: UInt64?)] = [:]
}
