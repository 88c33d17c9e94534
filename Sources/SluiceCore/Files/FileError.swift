/// Errors reading or writing files, naming the file and, for corrupt data, where.
public enum FileError: Error, Equatable, CustomStringConvertible {
    /// The file cannot be opened, read or written.
    case io(path: String, operation: String, errno: Int32)
    /// A compressed frame is corrupt at `offset` (bytes from the file's start).
    case corrupt(path: String, offset: Int64, reason: String)

    public var description: String {
        switch self {
        case let .io(path, operation, code):
            return "cannot \(operation) '\(path)': \(String(cString: strerror(code)))"
        case let .corrupt(path, offset, reason):
            return "'\(path)' is corrupt at byte \(offset): \(reason)"
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
