/// What can go wrong in a two-thread transfer.
public enum TransferError: Error, CustomStringConvertible {
    /// The consumer saw items in another order than `0..<items` (a broken queue).
    case itemsOutOfOrder(route: TransferRoute, mismatches: Int, items: Int)

    public var description: String {
        switch self {
        case let .itemsOutOfOrder(route, mismatches, items):
            return "\(route): \(mismatches) of \(items) items arrived out of order; the queue lost, duplicated or reordered items"
        }
    }
}
