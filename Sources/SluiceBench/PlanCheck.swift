/// Checks of single settings; each throws a ``BenchError`` naming the `sluice bench`
/// flag of the setting.
enum PlanCheck {
    /// At least one value, every one a positive integer.
    static func positiveList(_ values: [Int], option: String) throws {
        try nonEmpty(values, option: option)
        for value in values where value <= 0 {
            throw BenchError.invalidListElement(String(value), option: option, reason: "expected a positive integer")
        }
    }

    /// At least one value.
    static func nonEmpty<Element>(_ values: [Element], option: String) throws {
        if values.isEmpty { throw BenchError.invalidValue("", option: option, reason: "expected at least one value") }
    }

    /// A positive integer.
    static func positive(_ value: Int, option: String) throws {
        if value <= 0 { throw BenchError.invalidValue(String(value), option: option, reason: "expected a positive integer") }
    }

    /// Report files that can be written, checked before anything runs.
    static func writable(_ paths: [(path: String?, option: String)]) throws {
        for case let (path?, option) in paths { try ReportFile.checkWritable(path, flag: option) }
    }
}
