/// How long one transfer took.
public struct TransferResult: Sendable {
    /// The queue and how it was called.
    public let route: TransferRoute
    /// Items moved.
    public let items: Int
    /// From the producer passing the start gate to the consumer taking the last item.
    public let nanoseconds: UInt64

    /// Items moved per second.
    public var itemsPerSecond: Double {
        Double(items) * 1e9 / Double(nanoseconds)
    }
}
