import Foundation

/// The transforms and predicates Sluice knows, by Kafka Connect's class names
/// (`org.apache.kafka.connect.transforms.X`, or `X` alone), built from their settings.
package enum TransformCatalog {
    /// The transform class names, as listed in an error for an unknown one.
    package static let transformNames = [
        "RegexRouter", "InsertField$Value", "InsertField$Key", "ReplaceField$Value", "ReplaceField$Key", "Filter",
        "ValueToKey", "ExtractField$Value", "ExtractField$Key", "HoistField$Value", "HoistField$Key",
        "MaskField$Value", "MaskField$Key", "Cast$Value", "Cast$Key",
        "Flatten$Value", "Flatten$Key", "TimestampRouter",
        "HeaderFrom$Value", "HeaderFrom$Key", "InsertHeader", "DropHeaders",
        "TimestampConverter$Value", "TimestampConverter$Key", "SetSchemaMetadata$Value", "SetSchemaMetadata$Key",
    ]

    /// The predicate class names.
    package static let predicateNames = [
        "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
        "org.apache.kafka.connect.transforms.predicates.RecordIsTombstone",
        "org.apache.kafka.connect.transforms.predicates.HasHeaderKey",
    ]

    /// Builds the transform that `settings` describes.
    /// - Parameter predicates: the connector's predicates by name, for `Filter`.
    /// - Throws: ``RuntimeError/invalidConfig(name:value:reason:)`` for an unknown class or a bad setting.
    package static func transform(_ settings: TransformSettings, predicates: [String: any RecordPredicate]) throws
        -> any Transformation
    {
        switch settings.simpleType {
        case "RegexRouter":
            return try RegexRouter(
                regex: settings.value("regex") ?? "", replacement: settings.value("replacement") ?? "")
        case "InsertField$Value", "InsertField$Key":
            return InsertField(
                part: settings.part, topicField: settings.value("topic.field"),
                partitionField: settings.value("partition.field"),
                timestampField: settings.value("timestamp.field"), staticField: settings.value("static.field"),
                staticValue: settings.value("static.value"), offsetField: settings.value("offset.field"))
        case "ReplaceField$Value", "ReplaceField$Key":
            return ReplaceField(
                part: settings.part,
                include: TransformSettings.list(settings.value("include") ?? settings.value("whitelist")),
                exclude: TransformSettings.list(settings.value("exclude") ?? settings.value("blacklist")),
                renames: try ReplaceField.parseRenames(settings.value("renames") ?? ""))
        case "Filter":
            guard let predicateName = settings.value("predicate") else { return Filter() }
            guard let predicate = predicates[predicateName] else {
                throw settings.invalid("predicate", reason: "no such predicate under predicates")
            }
            return Filter(predicate: predicate, negate: settings.value("negate") == "true")
        case "ValueToKey":
            return ValueToKey(fields: try settings.requiredList("fields", "the value's fields that make up the key"))
        case "ExtractField$Value", "ExtractField$Key":
            return ExtractField(part: settings.part, field: try settings.required("field", "the field to extract"))
        case "HoistField$Value", "HoistField$Key":
            return HoistField(
                part: settings.part, field: try settings.required("field", "the name of the field to wrap in"))
        case "MaskField$Value", "MaskField$Key":
            let replacement = settings.value("replacement")
            if let replacement, replacement.isEmpty {
                throw settings.invalid(
                    "replacement",
                    reason: "an empty replacement is not allowed; leave replacement out to mask with empty values")
            }
            return MaskField(
                part: settings.part, fields: try settings.requiredList("fields", "the fields to mask"),
                replacement: replacement)
        case "Cast$Value", "Cast$Key":
            do {
                return Cast(
                    part: settings.part,
                    spec: try Cast.parseSpec(try settings.required("spec", "a spec: one type, or field:type pairs")))
            } catch let RuntimeError.invalidConfig(_, _, reason) {
                throw settings.invalid("spec", reason: reason)
            }
        case "TimestampRouter":
            do {
                return try TimestampRouter(
                    topicFormat: settings.value("topic.format") ?? "${topic}-${timestamp}",
                    timestampFormat: settings.value("timestamp.format") ?? "yyyyMMdd")
            } catch let RuntimeError.invalidConfig(_, _, reason) {
                throw settings.invalid("timestamp.format", reason: reason)
            }
        case "Flatten$Value", "Flatten$Key":
            return Flatten(part: settings.part, delimiter: settings.value("delimiter") ?? ".")
        case "HeaderFrom$Value", "HeaderFrom$Key":
            return try headerFrom(settings)
        case "InsertHeader":
            let name = try settings.required("header", "the name of the header to add")
            guard let literal = settings.value("value.literal") else {
                throw settings.invalid("value.literal", reason: "InsertHeader needs the header's value")
            }
            return InsertHeader(name: name, literal: literal)
        case "DropHeaders":
            return DropHeaders(names: try settings.requiredList("headers", "the names of the headers to drop"))
        case "TimestampConverter$Value", "TimestampConverter$Key":
            return try timestampConverter(settings)
        case "SetSchemaMetadata$Value", "SetSchemaMetadata$Key":
            return try setSchemaMetadata(settings)
        default:
            throw settings.invalid(
                "type", reason: "unknown transform; known: " + transformNames.joined(separator: ", "))
        }
    }

    /// Builds the predicate that `settings` describes.
    package static func predicate(_ settings: TransformSettings) throws -> any RecordPredicate {
        switch settings.simpleType {
        case "TopicNameMatches":
            return try TopicNameMatches(pattern: settings.value("pattern") ?? "")
        case "RecordIsTombstone":
            return RecordIsTombstone()
        case "HasHeaderKey":
            return HasHeaderKey(name: try settings.required("name", "the header name to look for"))
        default:
            throw settings.invalid(
                "type", reason: "unknown predicate; known: " + predicateNames.joined(separator: ", "))
        }
    }

    /// The choice setting `name` names (or `fallback` when it is absent); a value not among
    /// the choices is a configuration error in Kafka's words.
    private static func oneOf<Choice: RawRepresentable & CaseIterable>(
        _ name: String, _ settings: TransformSettings, default fallback: Choice? = nil
    ) throws -> Choice where Choice.RawValue == String {
        let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text = settings.value(name) else {
            if let fallback { return fallback }
            throw settings.invalid(name, reason: "\(settings.simpleType) needs \(name), one of: \(allowed)")
        }
        guard let choice = Choice(rawValue: text.trimmingCharacters(in: .whitespaces)) else {
            throw settings.invalid(name, reason: "String must be one of: \(allowed)")
        }
        return choice
    }

    private static func headerFrom(_ settings: TransformSettings) throws -> HeaderFrom {
        let fields = try settings.requiredList("fields", "the fields to copy or move into headers")
        let headers = try settings.requiredList("headers", "the header names, one per field")
        guard headers.count == fields.count else {
            throw settings.invalid("headers", reason: "'fields' config must have the same number of elements as 'headers' config.")
        }
        let operation: HeaderFrom.Operation = try oneOf("operation", settings)
        return HeaderFrom(part: settings.part, fields: fields, headerNames: headers, operation: operation)
    }

    private static func timestampConverter(_ settings: TransformSettings) throws -> TimestampConverter {
        let target: TimestampConverter.Target = try oneOf("target.type", settings)
        let precision: TimestampConverter.UnixPrecision = try oneOf(
            "unix.precision", settings, default: .milliseconds)
        do {
            return try TimestampConverter(
                part: settings.part, field: settings.value("field"), target: target,
                format: settings.value("format"), precision: precision)
        } catch let RuntimeError.invalidConfig(_, _, reason) {
            throw settings.invalid("format", reason: reason)
        }
    }

    private static func setSchemaMetadata(_ settings: TransformSettings) throws -> SetSchemaMetadata {
        let name = settings.value("schema.name").flatMap { $0.isEmpty ? nil : $0 }
        var version: Int32?
        if let text = settings.value("schema.version"), !text.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let number = Int32(text.trimmingCharacters(in: .whitespaces)) else {
                throw settings.invalid("schema.version", reason: "Not a number of type INT")
            }
            version = number
        }
        guard name != nil || version != nil else {
            throw settings.invalid("schema.name", reason: "Neither schema name nor version configured")
        }
        return SetSchemaMetadata(part: settings.part, name: name, version: version)
    }
}
