#if canImport(Glibc)
import Glibc
#endif

/// `errors.log.enable`: one line per tolerated failure on stderr, saying where the
/// record was and why it failed. Its key and value are logged only with
/// `errors.log.include.messages=true` (they may hold secrets), as text with control
/// characters escaped (a value cannot forge a log line) and cut after 1,024 bytes each.
enum ErrorLog {
    /// The most bytes of a key or a value a line shows.
    static let shownBytes = 1_024

    /// ` key=... value=...` for a log line.
    static func record(key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?) -> String {
        " key=" + shown(key) + " value=" + shown(value)
    }

    /// `bytes` as quoted text: printable ASCII as it is, `\n`, `\"`, `\\`, other bytes `\xHH`;
    /// `null` for a null part; longer ones cut, with their length.
    static func shown(_ bytes: UnsafeRawBufferPointer?) -> String {
        guard let bytes else { return "null" }
        var text = "\""
        for byte in bytes.prefix(shownBytes) {
            switch byte {
            case UInt8(ascii: "\""): text += "\\\""
            case UInt8(ascii: "\\"): text += "\\\\"
            case UInt8(ascii: "\n"): text += "\\n"
            case 0x20..<0x7f: text.unicodeScalars.append(Unicode.Scalar(byte))
            default: text += "\\x" + String(byte, radix: 16).leftPadded(to: 2)
            }
        }
        text += "\""
        if bytes.count > shownBytes { text += " (\(bytes.count) bytes, first \(shownBytes) shown)" }
        return text
    }

    /// Writes `line` unless the `sluice.errors` logger is set below ERROR.
    static func write(_ line: String) {
        guard LogLevels.shared.isEnabled(.error, "sluice.errors") else { return }
        let bytes = Array(("sluice: error: " + line + "\n").utf8)
        // One write(2) per line, so lines from several task threads do not interleave.
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}

extension String {
    /// The string with zeros before it up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
