import Foundation
/// Kafka Connect's `ReplaceField$Value` (and `$Key`): keeps only `include`d fields,
/// drops `exclude`d ones, and renames (`renames=old:new,...`).
public struct ReplaceField: Transformation {
    /// Whether the key or the value changes.
    public var part: InsertField.Part
    /// Fields to keep (empty: all).
    public var include: [String]
    /// Fields to drop.
    public var exclude: [String]
    /// New names by old name.
    public var renames: [String: String]

    /// Creates the transform.
    public init(part: InsertField.Part, include: [String] = [], exclude: [String] = [], renames: [String: String] = [:]) {
        self.part = part
        self.include = include
        self.exclude = exclude
        self.renames = renames
    }

    /// Parses `old:new,old2:new2`.
    public static func parseRenames(_ text: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: ":", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw RuntimeError.invalidConfig(name: "renames", value: text, reason: "expected old:new pairs separated by commas")
            }
            result[parts[0]] = parts[1]
        }
        return result
    }

    public func apply(_ record: inout ConnectRecord) throws -> Bool {
        let refusal = "ReplaceField only works on object values without a schema"
        guard let fields = try record.takeFields(part, refusal: refusal) else { return true }
        var kept: [ConnectField] = []
        kept.reserveCapacity(fields.count)
        for field in fields where (include.isEmpty || include.contains(field.name)) && !exclude.contains(field.name) {
            kept.append(renames.isEmpty ? field : ConnectField(renames[field.name] ?? field.name, field.value))
        }
        record.put(.object(kept), part)
        return true
    }
}
