import Foundation
/// Java `.properties` files as Kafka Connect's worker and connector configs use them:
/// `key=value` or `key: value`, `#`/`!` comments, trailing-backslash continuations.
public enum PropertiesFile {
    /// Parses `text`; a line without `=` or `:` is an error naming the line.
    public static func parse(_ text: String, path: String = "<input>") throws -> [String: String] {
        var result: [String: String] = [:]
        var pending = ""
        var lineNumber = 0
        var startLine = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = String(rawLine)
            if line.hasSuffix("\r") { line.removeLast() }
            if pending.isEmpty {
                startLine = lineNumber
                let trimmed = line.drop { $0 == " " || $0 == "\t" }
                if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix("!") { continue }
                line = String(trimmed)
            } else {
                line = String(line.drop { $0 == " " || $0 == "\t" })
            }
            if line.hasSuffix("\\") {
                pending += line.dropLast()
                continue
            }
            let full = pending + line
            pending = ""
            guard let separator = full.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ConfigFileError.invalid(path: path, reason: "line \(startLine): expected key=value, got '\(full)'")
            }
            let key = String(full[..<separator]).trimmingCharacters(in: .whitespaces)
            let value = String(full[full.index(after: separator)...]).drop { $0 == " " || $0 == "\t" }
            result[key] = String(value)
        }
        return result
    }

    /// Reads and parses a file.
    public static func load(path: String) throws -> [String: String] {
        guard let file = fopen(path, "r") else {
            throw ConfigFileError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n == 0 { break }
            bytes.append(contentsOf: buffer.prefix(n))
        }
        return try parse(String(decoding: bytes, as: UTF8.self), path: path)
    }
}

#if canImport(Glibc)
import Glibc
#endif
