import Atomics
import Foundation
import SluiceCore

/// What a ``GroupMember`` asks of the worker it belongs to. Called on the
/// membership thread, one call at a time.
public protocol GroupMemberDelegate: AnyObject, Sendable {
    /// The metadata this member sends with its JoinGroup (what it runs now).
    func joinMetadata() -> [UInt8]
    /// Called on the leader only: the assignment of every member, by member id.
    func assign(generation: Int32, leaderID: String, members: [(id: String, metadata: [UInt8])]) -> [String: [UInt8]]
    /// This member's assignment for `generation`.
    func assigned(generation: Int32, memberID: String, leaderID: String, assignment: [UInt8])
    /// The member could not heartbeat for longer than the session timeout: the
    /// coordinator has given its work to others, so it must stop what it runs.
    func membershipLost(reason: String)
}

/// One member of a Kafka consumer group with a protocol of Sluice's own: Kafka's
/// group coordinator decides who is in the group (heartbeats, `session.timeout.ms`),
/// elects a leader, and hands out the leader's assignment. This is how Kafka
/// Connect's distributed workers find each other; nothing here decides membership
/// by itself.
///
/// A thread runs join → sync → heartbeat. A heartbeat answered with
/// REBALANCE_IN_PROGRESS, a call to ``requestRejoin()``, or a lost coordinator
/// starts a new join. Work keeps running through a rebalance: whether anything
/// stops is the assignment's business (``GroupMemberDelegate``).
public final class GroupMember: @unchecked Sendable {
    /// The group's settings.
    public struct Settings: Sendable {
        /// `group.id`.
        public var groupID: String
        /// Bootstrap `host:port` list.
        public var bootstrapServers: String
        /// `session.timeout.ms`.
        public var sessionTimeoutMs = 10_000
        /// `heartbeat.interval.ms`.
        public var heartbeatIntervalMs = 3_000
        /// `rebalance.timeout.ms`: how long the coordinator waits for members to rejoin.
        public var rebalanceTimeoutMs = 60_000
        /// The protocol type; groups of other types (consumers, Kafka Connect) cannot mix in.
        public var protocolType = "sluice-connect"
        /// The protocol name and version.
        public var protocolName = "sluice-incremental-1"
        /// How long the leader waits before its SyncGroup. librdkafka's mock
        /// coordinator completes a sync as soon as the leader's SyncGroup arrives and
        /// answers INVALID_REQUEST to a follower whose SyncGroup comes after it
        /// (`rd_kafka_mock_cgrp_check_state` in `rdkafka_mock_cgrp.c`); a real
        /// broker keeps the assignment for late followers. Followers send theirs
        /// as soon as the JoinGroup answer arrives, so a short wait puts the leader last.
        public var leaderSyncDelayMs = 150

        /// Settings for `groupID` at `bootstrapServers`.
        public init(groupID: String, bootstrapServers: String) {
            self.groupID = groupID
            self.bootstrapServers = bootstrapServers
        }
    }

    /// The settings.
    public let settings: Settings
    private weak var delegate: (any GroupMemberDelegate)?
    private let running = ManagedAtomic<Bool>(false)
    private let rejoinRequested = ManagedAtomic<Bool>(false)
    private var thread: PinnedThread?
    private var coordinator: BrokerConnection?
    private var memberID = ""
    private var generation: Int32 = -1
    private let lock = NSLock()
    private var lastError: String?
    /// Completed rebalances.
    public let rebalances = ManagedAtomic<Int>(0)
    /// Total milliseconds spent in rebalances (join to assignment).
    public let rebalanceMillis = ManagedAtomic<Int>(0)

    /// A member for `settings`; nothing happens until ``start(delegate:)``.
    public init(settings: Settings) {
        self.settings = settings
    }

    /// The last error the membership thread met, if any (for status and logs).
    public var lastProblem: String? { lock.withLock { lastError } }

    /// Starts the membership thread.
    public func start(delegate: any GroupMemberDelegate) throws {
        self.delegate = delegate
        running.store(true, ordering: .releasing)
        thread = try PinnedThread(name: "sluice-group") { [self] in run() }
    }

    /// Asks for a rebalance (after a config change, or after giving work back).
    public func requestRejoin() {
        rejoinRequested.store(true, ordering: .releasing)
    }

    /// Leaves the group (so the rebalance starts at once) and ends the thread.
    public func stop() {
        running.store(false, ordering: .releasing)
        thread?.join()
        thread = nil
    }

    private func run() {
        var lastHeartbeat = MonotonicClock.nanoseconds()
        var joined = false
        var rebalanceStart = MonotonicClock.nanoseconds()
        while running.load(ordering: .acquiring) {
            do {
                if coordinator == nil { try connectCoordinator() }
                if !joined {
                    rebalanceStart = MonotonicClock.nanoseconds()
                    try join()
                    joined = true
                    lastHeartbeat = MonotonicClock.nanoseconds()
                    rebalances.wrappingIncrement(ordering: .relaxed)
                    rebalanceMillis.wrappingIncrement(
                        by: Int((MonotonicClock.nanoseconds() - rebalanceStart) / 1_000_000), ordering: .relaxed)
                    record(nil)
                }
                // Sleep in small steps so a rejoin request or stop is seen quickly.
                let due = lastHeartbeat + UInt64(settings.heartbeatIntervalMs) * 1_000_000
                while running.load(ordering: .acquiring), MonotonicClock.nanoseconds() < due,
                    !rejoinRequested.load(ordering: .acquiring) {
                    usleep(20_000)
                }
                guard running.load(ordering: .acquiring) else { break }
                if rejoinRequested.exchange(false, ordering: .acquiringAndReleasing) {
                    joined = false
                    continue
                }
                let code = try ControlPlaneClient.heartbeat(
                    coordinator!, group: settings.groupID, generation: generation, memberID: memberID)
                lastHeartbeat = MonotonicClock.nanoseconds()
                switch code {
                case 0: break
                case 27: joined = false  // REBALANCE_IN_PROGRESS
                case 22, 25:  // ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID: the coordinator dropped us
                    memberID = ""
                    joined = false
                    delegate?.membershipLost(reason: "the coordinator answered \(ProtocolError.name(of: code))")
                case 14, 15, 16:
                    coordinator = nil
                    joined = false
                default:
                    throw ProtocolError.broker(api: "Heartbeat", code: code)
                }
            } catch {
                record("\(error)")
                coordinator?.close()
                coordinator = nil
                joined = false
                if case let ProtocolError.broker(api, code) = error, api == "JoinGroup" || api == "SyncGroup", code == 25 || code == 22 {
                    memberID = ""
                }
                if MonotonicClock.nanoseconds() - lastHeartbeat > UInt64(settings.sessionTimeoutMs) * 1_000_000 {
                    delegate?.membershipLost(reason: "no contact with the group coordinator for \(settings.sessionTimeoutMs) ms: \(error)")
                    lastHeartbeat = MonotonicClock.nanoseconds()
                }
                for _ in 0..<25 where running.load(ordering: .acquiring) { usleep(20_000) }
            }
        }
        if let coordinator, !memberID.isEmpty {
            try? ControlPlaneClient.leaveGroup(coordinator, group: settings.groupID, memberID: memberID)
        }
        coordinator?.close()
        coordinator = nil
    }

    private func record(_ problem: String?) {
        lock.withLock { lastError = problem }
    }

    private func connectCoordinator() throws {
        var lastError: (any Error)?
        for server in settings.bootstrapServers.split(separator: ",") {
            do {
                let bootstrap = try BrokerConnection(address: String(server).trimmingCharacters(in: .whitespaces), timeoutMs: 5_000)
                let address = try ControlPlaneClient.findCoordinator(bootstrap, group: settings.groupID)
                coordinator = try BrokerConnection(
                    address: address, timeoutMs: settings.rebalanceTimeoutMs + settings.sessionTimeoutMs + 5_000)
                return
            } catch {
                lastError = error
            }
        }
        throw lastError ?? ProtocolError.connection(address: settings.bootstrapServers, reason: "no bootstrap server")
    }

    private func join() throws {
        guard let delegate else { return }
        let result = try ControlPlaneClient.joinGroup(
            coordinator!, group: settings.groupID, memberID: memberID, sessionTimeoutMs: settings.sessionTimeoutMs,
            rebalanceTimeoutMs: settings.rebalanceTimeoutMs, protocolType: settings.protocolType,
            protocolName: settings.protocolName, metadata: delegate.joinMetadata())
        memberID = result.memberID
        generation = result.generation
        var assignments: [String: [UInt8]] = [:]
        if result.leaderID == result.memberID {
            assignments = delegate.assign(generation: result.generation, leaderID: result.leaderID, members: result.members)
            usleep(UInt32(settings.leaderSyncDelayMs) * 1_000)
        }
        let mine = try ControlPlaneClient.syncGroup(
            coordinator!, group: settings.groupID, generation: result.generation, memberID: result.memberID,
            assignments: assignments)
        delegate.assigned(generation: result.generation, memberID: result.memberID, leaderID: result.leaderID, assignment: mine)
    }
}
