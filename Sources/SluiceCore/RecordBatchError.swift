/// Errors raised while writing records into a ``RecordBatch``.
public enum RecordBatchError: Error, Equatable, CustomStringConvertible {
    /// The record can never fit: it is larger than an empty batch's arena.
    case recordTooLarge(recordBytes: Int, arenaBytes: Int)
    /// A header name longer than 65535 bytes.
    case headerNameTooLong(bytes: Int)

    public var description: String {
        switch self {
        case let .recordTooLarge(recordBytes, arenaBytes):
            return "a record of \(recordBytes) bytes does not fit in a batch arena of \(arenaBytes) bytes; raise the batch size or shrink the record"
        case let .headerNameTooLong(bytes):
            return "a header name of \(bytes) bytes is longer than the 65535 bytes Kafka allows"
        }
    }
}
