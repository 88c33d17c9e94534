#if canImport(Glibc)
import Glibc
#endif

/// `errors.log.enable`: one line per tolerated failure on stderr. Record contents are
/// never logged (they may hold secrets), only where the record was and why it failed.
enum ErrorLog {
    static func write(_ line: String) {
        let bytes = Array(("sluice: error: " + line + "\n").utf8)
        // One write(2) per line, so lines from several task threads do not interleave.
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
