#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered writes to stdout or stderr, safe from any thread.
package struct FileHandleOutput: Sendable {
    let descriptor: Int32

    /// File descriptor 1.
    package static let standardOutput = FileHandleOutput(descriptor: 1)
    /// File descriptor 2.
    package static let standardError = FileHandleOutput(descriptor: 2)

    /// Whether the descriptor is a terminal (progress lines are drawn only there).
    package var isTerminal: Bool { isatty(descriptor) == 1 }

    /// Writes all of `text`, retrying after interrupted and partial writes.
    package func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { if errno == EINTR { continue } else { return } }
            offset += n
        }
    }
}
