/// What an in-process benchmark measured.
public struct BenchResults: Sendable {
    /// One row per combination of the plan's lists, in the order they ran.
    public var rows: [BenchRow]
    /// The peers measured on the same data (``BenchPlan/peers``).
    public var peers: [PeerFigures]

    /// A sentence when any record failed delivery, was lost or was duplicated.
    var deliveryProblem: String? {
        let failed = rows.reduce(0) { $0 + $1.failed }
        let lost = rows.reduce(0) { $0 + ($1.lost ?? 0) }
        let duplicates = rows.reduce(0) { $0 + ($1.duplicates ?? 0) }
        guard failed > 0 || lost > 0 || duplicates > 0 else { return nil }
        return "\(failed) records failed delivery, \(lost) lost, \(duplicates) duplicated"
    }
}
