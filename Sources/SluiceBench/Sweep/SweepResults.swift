/// What a sweep over worker processes measured.
public struct SweepResults: Sendable {
    /// One row per combination of the plan's lists, in the order they ran.
    public var rows: [SweepRow]
    /// The peers measured on the same data (``SweepPlan/peers``).
    public var peers: [PeerFigures]
}
