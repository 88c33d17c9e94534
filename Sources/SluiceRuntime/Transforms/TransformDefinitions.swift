/// The settings of each built-in transform and predicate, with Kafka's names,
/// types and defaults: what `GET /connector-plugins/{transform}/config` lists, and
/// what the validate endpoint lists for each transform and predicate a config names
/// (under `transforms.<alias>.` and `predicates.<alias>.`, in a group of its own, as
/// Kafka Connect does).
package enum TransformDefinitions {
    /// The settings of the transform or predicate class `className` (full or simple
    /// name, `$Key`/`$Value` alike), or `nil` for an unknown class.
    package static func definition(of className: String) -> ConfigDef? {
        let simple = className.split(separator: ".").last.map(String.init) ?? className
        let base = simple.split(separator: "$").first.map(String.init) ?? simple
        let def = ConfigDef()
        switch base {
        case "RegexRouter":
            return def.define("regex", .string, documentation: "Regular expression to use for matching.")
                .define("replacement", .string, documentation: "Replacement string.")
        case "InsertField":
            return ["topic.field", "partition.field", "offset.field", "timestamp.field", "static.field", "static.value"].reduce(def) {
                $0.define($1, .string, default: "", documentation: "Field name for the record's \($1.replacingOccurrences(of: ".field", with: "")) (a `!` suffix makes it required, `?` optional).")
            }
        case "ReplaceField":
            return def.define("exclude", .list, default: "", documentation: "Fields to exclude. This takes precedence over the fields to include.")
                .define("include", .list, default: "", documentation: "Fields to include. If specified, only these fields will be used.")
                .define("renames", .list, default: "", documentation: "Field rename mappings, as from:to pairs.")
        case "Filter", "RecordIsTombstone":
            return def
        case "ValueToKey":
            return def.define("fields", .list, documentation: "Field names on the record value to extract as the record key.")
        case "ExtractField":
            return def.define("field", .string, documentation: "Field name to extract.")
        case "HoistField":
            return def.define("field", .string, documentation: "Field name for the single field that will be created in the resulting Struct or Map.")
        case "MaskField":
            return def.define("fields", .list, documentation: "Names of fields to mask.")
                .define("replacement", .string, default: "", documentation: "Custom value replacement, applied to all 'fields' values.")
        case "Cast":
            return def.define("spec", .list, documentation: "List of fields and the type to cast them to (field:type), or a single type to cast the whole key or value to.")
        case "TimestampRouter":
            return def.define("topic.format", .string, default: "${topic}-${timestamp}", documentation: "Format string which can contain ${topic} and ${timestamp}.")
                .define("timestamp.format", .string, default: "yyyyMMdd", documentation: "Format string for the timestamp, as java.text.SimpleDateFormat reads it.")
        case "Flatten":
            return def.define("delimiter", .string, default: ".", documentation: "Delimiter between the names of the input data's fields and their parents.")
        case "HeaderFrom":
            return def.define("fields", .list, documentation: "Field names in the record whose values are copied or moved into headers.")
                .define("headers", .list, documentation: "Header names, in the same order as the field names listed in the fields configuration property.")
                .define("operation", .string, allowed: HeaderFrom.Operation.allCases.map(\.rawValue), documentation: "Either move if the fields are to be moved to the headers (removed from the key/value), or copy if the fields are to be copied to the headers (retained in the key/value).")
        case "InsertHeader":
            return def.define("header", .string, documentation: "The name of the header.")
                .define("value.literal", .string, documentation: "The literal value that is to be set as the header value on all records.")
        case "DropHeaders":
            return def.define("headers", .list, documentation: "The name of the headers to be removed.")
        case "TimestampConverter":
            return def.define("target.type", .string, allowed: TimestampConverter.Target.allCases.map(\.rawValue), documentation: "The desired timestamp representation.")
                .define("field", .string, default: "", documentation: "The field containing the timestamp, or empty if the entire value is a timestamp.")
                .define("format", .string, default: "", documentation: "A SimpleDateFormat-compatible format for the timestamp, for string targets or string inputs.")
                .define("unix.precision", .string, default: "milliseconds", allowed: TimestampConverter.UnixPrecision.allCases.map(\.rawValue), documentation: "The desired Unix precision for the timestamp.")
        case "SetSchemaMetadata":
            return def.define("schema.name", .string, default: "", documentation: "Schema name to set.")
                .define("schema.version", .int, default: "", documentation: "Schema version to set.")
        case "TopicNameMatches":
            return def.define("pattern", .string, documentation: "A Java regular expression for matching against the name of a record's topic.")
        case "HasHeaderKey":
            return def.define("name", .string, documentation: "The header name.")
        default:
            return nil
        }
    }

    /// The settings of every transform and predicate `config` names, each under its
    /// alias's prefix and in its group (`Transforms: <alias>`, `Predicates: <alias>`),
    /// after the alias's `type` (and a transform's `predicate` and `negate`).
    package static func keys(for config: [String: String]) -> [ConfigDef.Key] {
        var keys: [ConfigDef.Key] = []
        for (kind, group) in [("transforms", "Transforms"), ("predicates", "Predicates")] {
            for alias in TransformSettings.list(config[kind]) {
                let prefix = "\(kind).\(alias)."
                var def = ConfigDef().define(prefix + "type", .string, documentation: "Class for the '\(alias)' \(kind == "transforms" ? "transformation" : "predicate").")
                if kind == "transforms" {
                    def = def.define(prefix + "predicate", .string, default: "", documentation: "The alias of a predicate used to determine whether to apply this transformation.")
                        .define(prefix + "negate", .boolean, default: "false", documentation: "Whether the configured predicate should be negated.")
                }
                for key in (config[prefix + "type"].flatMap(definition(of:)) ?? ConfigDef()).keys {
                    def = def.define(prefix + key.name, key.type, default: key.defaultValue, allowed: key.allowed, minimum: key.minimum, documentation: key.documentation)
                }
                keys += def.keys.map { key in
                    var key = key
                    key.group = "\(group): \(alias)"
                    return key
                }
            }
        }
        return keys
    }
}
