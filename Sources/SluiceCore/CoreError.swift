/// Errors from SluiceCore's threading and configuration helpers.
public enum CoreError: Error, Equatable, CustomStringConvertible {
    /// A CPU list that does not parse.
    case invalidCPUList(String, reason: String)
    /// A CPU this process is not allowed to run on.
    case cpuNotAvailable(Int, available: CPUSet)
    /// `pthread_create` or pinning failed.
    case threadStartFailed(name: String, errno: Int32)

    public var description: String {
        switch self {
        case let .invalidCPUList(text, reason):
            return "invalid CPU list '\(text)': \(reason)"
        case let .cpuNotAvailable(cpu, available):
            return "CPU \(cpu) is not available to this process (available: \(available))"
        case let .threadStartFailed(name, code):
            return "could not start thread '\(name)': \(String(cString: strerror(code)))"
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
