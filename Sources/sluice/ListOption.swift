import Foundation
import ArgumentParser

/// Parsing of comma-separated list flags such as `--tasks 1,2,4`.
enum ListOption {
    /// Positive integers, e.g. `1,2,4`; the error names the flag and the bad element.
    static func positiveIntegers(_ text: String, flag: String) throws -> [Int] {
        try elements(text, flag: flag).map { element in
            guard let value = Int(element), value > 0 else {
                throw ValidationError("invalid value '\(element)' in \(flag): expected a positive integer")
            }
            return value
        }
    }

    /// Words from a fixed set, e.g. `none,lz4`.
    static func choices(_ text: String, flag: String, allowed: [String]) throws -> [String] {
        try elements(text, flag: flag).map { element in
            guard allowed.contains(element) else {
                throw ValidationError(
                    "invalid value '\(element)' in \(flag): expected one of \(allowed.joined(separator: ", "))")
            }
            return element
        }
    }

    private static func elements(_ text: String, flag: String) throws -> [String] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
            String($0).trimmingCharacters(in: .whitespaces)
        }
        if parts.contains(where: \.isEmpty) {
            throw ValidationError("invalid value '\(text)' for \(flag): empty element in the list")
        }
        return parts
    }
}

