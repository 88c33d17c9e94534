/// The leader's assignment of connectors and tasks to workers, incremental and
/// cooperative as Kafka Connect's (KIP-415):
///
/// - a worker keeps what it runs unless balance needs it elsewhere, so a
///   rebalance stops nothing that stays put;
/// - work nobody runs (a new connector, a dead worker's tasks) goes at once to the
///   workers below their share;
/// - a worker above its share gives the excess back (revoked) and rejoins; the
///   revoked work is handed out in that next round, so no unit ever runs on two
///   workers at once;
/// - shares differ by at most one: with `n` workers and `t` units, each worker
///   gets `t / n`, and `t % n` of them one more (those already running the most).
public enum IncrementalAssignor {
    /// One unit type's result for one worker.
    public struct Share<Unit: Hashable & Comparable>: Equatable {
        /// What the worker runs from now on.
        public var assigned: [Unit]
        /// What it must stop.
        public var revoked: [Unit]
    }

    /// Balances `desired` units over the workers in `owned` (worker id → what it runs).
    public static func balance<Unit: Hashable & Comparable>(
        owned: [String: [Unit]], desired: [Unit]
    ) -> [String: Share<Unit>] {
        let workers = owned.keys.sorted()
        guard !workers.isEmpty else { return [:] }
        let wanted = Set(desired)
        var seen = Set<Unit>()
        var kept: [String: [Unit]] = [:]
        var revoked: [String: [Unit]] = [:]
        for worker in workers {
            for unit in (owned[worker] ?? []).sorted() {
                if wanted.contains(unit) && seen.insert(unit).inserted {
                    kept[worker, default: []].append(unit)
                } else if !wanted.contains(unit) || kept[worker]?.contains(unit) != true {
                    revoked[worker, default: []].append(unit)
                }
            }
        }
        let total = wanted.count
        let base = total / workers.count
        let extra = total % workers.count
        // Those already running the most keep the larger shares: fewer moves.
        let order = workers.sorted { (kept[$0]?.count ?? 0, $1) > (kept[$1]?.count ?? 0, $0) }
        var allowance: [String: Int] = [:]
        for (index, worker) in order.enumerated() { allowance[worker] = base + (index < extra ? 1 : 0) }
        for worker in workers {
            while (kept[worker]?.count ?? 0) > allowance[worker]! {
                revoked[worker, default: []].append(kept[worker]!.removeLast())
            }
        }
        let revokedNow = Set(revoked.values.joined())
        for unit in desired.sorted() where !seen.contains(unit) && !revokedNow.contains(unit) {
            let target = workers.min { a, b in
                let roomA = allowance[a]! - (kept[a]?.count ?? 0)
                let roomB = allowance[b]! - (kept[b]?.count ?? 0)
                return (-roomA, kept[a]?.count ?? 0, a) < (-roomB, kept[b]?.count ?? 0, b)
            }!
            kept[target, default: []].append(unit)
            seen.insert(unit)
        }
        var result: [String: Share<Unit>] = [:]
        for worker in workers {
            result[worker] = Share(assigned: (kept[worker] ?? []).sorted(), revoked: (revoked[worker] ?? []).sorted())
        }
        return result
    }
}
