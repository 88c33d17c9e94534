import SluiceRuntime
import Testing

@Suite("Incremental cooperative assignment")
struct IncrementalAssignorTests {
    private func tasks(_ count: Int, _ connector: String = "c") -> [ConnectorTaskID] {
        (0..<count).map { ConnectorTaskID(connector: connector, task: $0) }
    }

    private func counts(_ shares: [String: IncrementalAssignor.Share<ConnectorTaskID>]) -> [Int] {
        shares.values.map(\.assigned.count).sorted()
    }

    @Test("a fresh cluster gets an even split and nothing revoked")
    func fresh() {
        let shares = IncrementalAssignor.balance(owned: ["a": [], "b": [], "c": []], desired: tasks(7))
        #expect(counts(shares) == [2, 2, 3])
        #expect(shares.values.allSatisfy { $0.revoked.isEmpty })
        #expect(Set(shares.values.flatMap(\.assigned)) == Set(tasks(7)))
    }

    @Test("a dead worker's tasks go to the survivors in one round, and survivors keep theirs")
    func failover() {
        let all = tasks(6)
        // "c" died: it is not in the group any more.
        let owned = ["a": Array(all[0..<2]), "b": Array(all[2..<4])]
        let shares = IncrementalAssignor.balance(owned: owned, desired: all)
        #expect(counts(shares) == [3, 3])
        #expect(Set(shares["a"]!.assigned).isSuperset(of: all[0..<2]))
        #expect(Set(shares["b"]!.assigned).isSuperset(of: all[2..<4]))
        #expect(shares.values.allSatisfy { $0.revoked.isEmpty })
    }

    @Test("a joining worker gets only what balance needs, first revoked, then assigned")
    func join() {
        let all = tasks(6)
        let owned: [String: [ConnectorTaskID]] = ["a": Array(all[0..<2]), "b": Array(all[2..<4]), "c": Array(all[4..<6]), "d": []]
        let first = IncrementalAssignor.balance(owned: owned, desired: all)
        let revoked = first.values.flatMap(\.revoked)
        #expect(revoked.count == 1, "6 tasks over 4 workers: one worker gives one task back")
        #expect(first["d"]!.assigned.isEmpty, "revoked work is handed out in the next round, never twice at once")
        // The next round: the revoking worker rejoined without the revoked task.
        var next = owned
        for (worker, share) in first { next[worker] = share.assigned }
        let second = IncrementalAssignor.balance(owned: next, desired: all)
        #expect(second["d"]!.assigned == revoked)
        #expect(counts(second) == [1, 1, 2, 2])
        #expect(second.values.allSatisfy { $0.revoked.isEmpty })
        for worker in ["a", "b", "c"] {
            #expect(Set(first[worker]!.assigned).isSubset(of: second[worker]!.assigned), "\(worker) kept running what it kept")
        }
    }

    @Test("deleted connectors' tasks are revoked; a task claimed twice stays with one worker")
    func deletedAndDuplicate() {
        let gone = ConnectorTaskID(connector: "gone", task: 0)
        let shared = ConnectorTaskID(connector: "c", task: 0)
        let shares = IncrementalAssignor.balance(owned: ["a": [shared, gone], "b": [shared]], desired: [shared])
        #expect(shares["a"]!.revoked == [gone])
        let holders = shares.filter { $0.value.assigned.contains(shared) }.map(\.key)
        #expect(holders.count == 1)
    }

    @Test("no workers, no assignment")
    func empty() {
        #expect(IncrementalAssignor.balance(owned: [String: [ConnectorTaskID]](), desired: tasks(3)).isEmpty)
    }
}
