import Foundation

/// A committed source offset as Kafka Connect stores it: a JSON object of named
/// integers. Sluice's own connectors keep one, `{"offset": N}`; the SQL source keeps
/// Kafka Connect's JDBC fields, `{"incrementing": N, "timestamp": ms, "timestamp_nanos": ns}`.
public struct SourceOffset: Hashable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// The named integers.
    public private(set) var fields: [String: Int64]

    /// An offset of several named integers.
    public init(_ fields: [String: Int64]) { self.fields = fields }

    /// The offset `{"offset": value}`.
    public init(_ value: Int64) { fields = ["offset": value] }

    /// The offset `{"offset": value}`.
    public init(integerLiteral value: Int64) { self.init(value) }

    /// The `offset` field, which Sluice's single-number offsets use.
    public var value: Int64? { fields["offset"] }

    /// The field `name`.
    public subscript(name: String) -> Int64? { fields[name] }

    /// The JSON object (numbers by name).
    public var jsonObject: [String: Any] { fields.mapValues { NSNumber(value: $0) } }

    /// A single-number offset as that number, anything else as its object.
    var storedForm: Any { fields.count == 1 && value != nil ? NSNumber(value: value!) : jsonObject }

    /// The offset a stored JSON value means: a number (the single-number form) or an
    /// object whose values are all integers; nil for anything else.
    public init?(json: Any) {
        if let number = json as? NSNumber, let value = Self.integer(number) {
            fields = ["offset": value]
            return
        }
        guard let object = json as? [String: Any], !object.isEmpty else { return nil }
        var fields: [String: Int64] = [:]
        for (name, value) in object {
            guard let number = value as? NSNumber, let integer = Self.integer(number) else { return nil }
            fields[name] = integer
        }
        self.fields = fields
    }

    /// `number` when it is an integer (not a boolean, not a fraction).
    static func integer(_ number: NSNumber) -> Int64? {
        let type = String(cString: number.objCType)
        guard type != "c", type != "B", type != "d", type != "f" else { return nil }
        return number.int64Value
    }

    public var description: String {
        fields.count == 1 && value != nil ? String(value!) : "{" + fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
    }
}

/// How a source partition's name and Kafka Connect's partition object map to each
/// other: Sluice's connectors name a partition by one string, stored as
/// `{"partition": name}`; a connector that needs Kafka Connect's own partition object
/// (the SQL source's `{"protocol": "1", "table": ...}`) names it by that object's JSON
/// text with sorted keys, stored as the object itself.
public enum SourcePartitionName {
    /// The partition object stored for `name`.
    public static func object(_ name: String) -> [String: Any] {
        if name.hasPrefix("{"), let data = name.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            return object
        }
        return ["partition": name]
    }

    /// The name of the stored partition `object`, or nil when it is not an object.
    public static func name(_ object: Any) -> String? {
        guard let object = object as? [String: Any] else { return nil }
        if object.count == 1, let name = object["partition"] as? String { return name }
        return text(object)
    }

    /// The canonical name of a partition object (its JSON with sorted keys).
    public static func text(_ object: [String: Any]) -> String? {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }
}
