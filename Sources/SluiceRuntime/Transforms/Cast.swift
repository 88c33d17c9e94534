import Foundation

/// Kafka Connect's `Cast$Key` and `$Value`: casts fields, or the whole key or value,
/// to other types (``CastType``).
///
/// ```properties
/// transforms.cast.type=org.apache.kafka.connect.transforms.Cast$Value
/// transforms.cast.spec=id:int32,price:float64
/// # or the whole value: transforms.cast.spec=string
/// ```
public struct Cast: Transformation {
    /// What a `spec` casts.
    public enum Spec: Equatable, Sendable {
        /// The whole key or value (`spec=int64`).
        case whole(CastType)
        /// Fields of an object by name (`spec=id:int32,price:float64`); other fields are kept as they are.
        case fields([String: CastType])
    }

    /// Whether the key or the value changes.
    public var part: InsertField.Part
    /// What is cast to which type.
    public var spec: Spec

    /// Creates the transform.
    public init(part: InsertField.Part, spec: Spec) {
        self.part = part
        self.spec = spec
    }

    /// Reads `spec`: one type for the whole value, or `field:type` pairs separated by commas.
    /// Type names are Kafka Connect's (`int8` ... `float64`, `boolean`, `string`), in any case.
    /// - Throws: ``RuntimeError/invalidConfig(name:value:reason:)`` naming the bad entry.
    public static func parseSpec(_ text: String) throws -> Spec {
        func type(_ name: Substring) throws -> CastType {
            let trimmed = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard let type = CastType(rawValue: trimmed) else {
                throw RuntimeError.invalidConfig(
                    name: "spec", value: text,
                    reason: "unknown type '\(trimmed)'; known: "
                        + CastType.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return type
        }
        let entries = text.split(separator: ",", omittingEmptySubsequences: false)
        if entries.count == 1, !text.contains(":"), !text.trimmingCharacters(in: .whitespaces).isEmpty {
            return .whole(try type(entries[0]))
        }
        var fields: [String: CastType] = [:]
        for entry in entries {
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
            let field = parts.first?.trimmingCharacters(in: .whitespaces) ?? ""
            guard parts.count == 2, !field.isEmpty else {
                throw RuntimeError.invalidConfig(
                    name: "spec", value: text,
                    reason:
                        "'\(entry)' is not field:type; write one type for the whole value or field:type pairs separated by commas"
                )
            }
            fields[field] = try type(parts[1])
        }
        return .fields(fields)
    }

    public func apply(_ record: inout ConnectRecord) throws -> Bool {
        let target = part == .value ? record.value : record.key
        switch (spec, target) {
        case (.whole(let type), let value):
            record.put(try type.cast(value), part)
            record.setSchema(nil, part)  // a primitive schema without a name (as in Kafka)
        case (.fields, .null):
            break
        case (.fields(let types), .object(let fields)):
            // A new array (one allocation, as Kafka Connect makes a new struct): a refused record keeps its value.
            let cast = try fields.map { field in
                guard let type = types[field.name] else { return field }
                return ConnectField(field.name, try type.cast(field.value))
            }
            record.put(.object(cast), part)
        case (.fields, let other):
            throw ConversionError.unsupported("Cast casts fields of an object; got a \(other.kindName)")
        }
        return true
    }
}
