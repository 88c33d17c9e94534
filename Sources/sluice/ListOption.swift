import ArgumentParser
import Foundation
import SluiceBench

/// Parsing of comma-separated list flags such as `--tasks 1,2,4`; the values are
/// checked further by the plan they go into.
enum ListOption {
    /// Integers, e.g. `1,2,4`; the error names the flag and the element that is not one.
    static func integers(_ text: String, flag: String) throws -> [Int] {
        try elements(text, flag: flag).map { element in
            guard let value = Int(element) else {
                throw ValidationError(
                    BenchError.invalidListElement(element, option: flag, reason: "expected a positive integer").description)
            }
            return value
        }
    }

    /// Values of a string enumeration, e.g. `none,lz4`; the error lists the allowed ones.
    static func choices<Choice: RawRepresentable & CaseIterable>(
        _ text: String, flag: String, of type: Choice.Type
    ) throws -> [Choice] where Choice.RawValue == String {
        let allowed = Choice.allCases.map(\.rawValue)
        return try elements(text, flag: flag).map { element in
            guard let choice = Choice(rawValue: element) else {
                throw ValidationError(
                    BenchError.invalidListElement(
                        element, option: flag, reason: "expected one of \(allowed.joined(separator: ", "))"
                    ).description)
            }
            return choice
        }
    }

    private static func elements(_ text: String, flag: String) throws -> [String] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
            String($0).trimmingCharacters(in: .whitespaces)
        }
        if parts.contains(where: \.isEmpty) {
            throw ValidationError(BenchError.invalidValue(text, option: flag, reason: "empty element in the list").description)
        }
        return parts
    }
}
