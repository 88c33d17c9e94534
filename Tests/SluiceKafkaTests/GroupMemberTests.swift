import Foundation
import SluiceCore
import SluiceKafka
import Synchronization
import Testing

/// A delegate that records what the group gave it; the leader assigns each member its own id.
private final class RecordingDelegate: GroupMemberDelegate, @unchecked Sendable {
    let name: String
    let assignments = Mutex<[(generation: Int32, text: String)]>([])
    let leaderCalls = Mutex<[[String]]>([])
    init(name: String) { self.name = name }
    func joinMetadata() -> [UInt8] { Array(name.utf8) }
    func assign(generation: Int32, leaderID: String, members: [(id: String, metadata: [UInt8])]) -> [String: [UInt8]] {
        leaderCalls.withLock { $0.append(members.map { String(decoding: $0.metadata, as: UTF8.self) }.sorted()) }
        var result: [String: [UInt8]] = [:]
        for member in members {
            result[member.id] = Array("for-\(String(decoding: member.metadata, as: UTF8.self))-of-\(members.count)".utf8)
        }
        return result
    }
    func assigned(generation: Int32, memberID: String, leaderID: String, assignment: [UInt8]) {
        assignments.withLock { $0.append((generation, String(decoding: assignment, as: UTF8.self))) }
    }
    func membershipLost(reason: String) { print("\(name) lost: \(reason)") }
    var latest: String? { assignments.withLock { $0.last?.text } }
}

@Suite("The Kafka group protocol, spoken by Sluice")
struct GroupMemberTests {
    @Test("metadata auto-creates a topic on the embedded cluster, and ApiVersions lists the group APIs")
    func metadataAndVersions() throws {
        let cluster = try EmbeddedKafka(brokers: 1)
        let connection = try BrokerConnection(address: cluster.bootstrapServers, timeoutMs: 5_000)
        let versions = try ControlPlaneClient.apiVersions(connection)
        for key: Int16 in [3, 10, 11, 12, 13, 14] {
            #expect(versions[key] != nil, "API \(key) missing")
        }
        let metadata = try ControlPlaneClient.metadata(connection, topics: ["made-by-metadata"])
        #expect(metadata.brokers.count == 1)
        #expect(metadata.topics.first?.name == "made-by-metadata")
        #expect(metadata.topics.first?.error == 0)
        #expect((metadata.topics.first?.partitions ?? 0) > 0)
    }

    @Test("three members join one group, the leader assigns, and a member that leaves triggers a new generation")
    func threeMembers() throws {
        let cluster = try EmbeddedKafka(brokers: 1)
        var settings = GroupMember.Settings(groupID: "workers", bootstrapServers: cluster.bootstrapServers)
        settings.sessionTimeoutMs = 6_000
        settings.heartbeatIntervalMs = 300
        settings.rebalanceTimeoutMs = 10_000
        let delegates = (0..<3).map { RecordingDelegate(name: "w\($0)") }
        let members = delegates.map { _ in GroupMember(settings: settings) }
        for (member, delegate) in zip(members, delegates) { try member.start(delegate: delegate) }
        defer { for member in members { member.stop() } }
        let settled = waitUntil(seconds: 30) { delegates.allSatisfy { $0.latest?.hasSuffix("-of-3") == true } }
        #expect(settled, "assignments: \(delegates.map { $0.latest ?? "none" }) problems: \(members.map { $0.lastProblem ?? "-" })")
        for delegate in delegates {
            #expect(delegate.latest == "for-\(delegate.name)-of-3")
        }
        members[2].stop()
        let shrunk = waitUntil(seconds: 30) { delegates[0...1].allSatisfy { $0.latest?.hasSuffix("-of-2") == true } }
        #expect(shrunk, "after a leave: \(delegates.map { $0.latest ?? "none" })")
    }

    @Test("a member that cannot reach any broker reports why")
    func unreachable() throws {
        #expect(throws: ProtocolError.self) {
            _ = try BrokerConnection(address: "127.0.0.1:1", timeoutMs: 1_000)
        }
        #expect(throws: ProtocolError.self) {
            _ = try BrokerConnection(address: "no-port-here", timeoutMs: 1_000)
        }
    }

    @Test("a truncated response is an error, not a crash")
    func truncated() throws {
        var reader = WireReader([0, 0, 0, 9, 1])
        #expect(throws: ProtocolError.self) { _ = try reader.data() }
        var arrays = WireReader([0x7f, 0xff, 0xff, 0xff])
        #expect(throws: ProtocolError.self) { _ = try arrays.array { try $0.int32() } }
    }
}

func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(50_000)
    }
    return condition()
}
