import Foundation
/// The transforms of a connector, built from its settings in Kafka Connect's form:
///
/// ```properties
/// transforms=route,stamp
/// transforms.route.type=org.apache.kafka.connect.transforms.RegexRouter
/// transforms.route.regex=(.*)
/// transforms.route.replacement=copy-$1
/// transforms.stamp.type=org.apache.kafka.connect.transforms.InsertField$Value
/// transforms.stamp.topic.field=topic
/// transforms.stamp.predicate=isLogs
/// predicates=isLogs
/// predicates.isLogs.type=org.apache.kafka.connect.transforms.predicates.TopicNameMatches
/// predicates.isLogs.pattern=logs-.*
/// ```
public struct TransformChain: Sendable {
    private struct Step: Sendable {
        var transform: any Transformation
        var predicate: (any RecordPredicate)?
        var negate: Bool
    }

    private var steps: [Step] = []

    private struct SpliceStep: Sendable {
        var transform: any SpliceableTransformation
        var predicate: TopicNameMatches?
        var negate: Bool
    }

    /// The same steps for the splice route, or `nil` when one of them cannot splice
    /// (or has a predicate that reads more than the topic).
    private var spliceSteps: [SpliceStep]?

    /// Whether there is nothing to do.
    public var isEmpty: Bool { steps.isEmpty }

    /// Whether every step can run on the splice route.
    var canSplice: Bool { spliceSteps != nil }

    /// Builds the chain; every bad setting is reported.
    public init(config: [String: String]) throws {
        let names = Self.list(config["transforms"])
        var predicates: [String: any RecordPredicate] = [:]
        for name in Self.list(config["predicates"]) {
            let prefix = "predicates.\(name)."
            let type = config[prefix + "type"] ?? ""
            switch type.split(separator: ".").last.map(String.init) ?? type {
            case "TopicNameMatches":
                predicates[name] = try TopicNameMatches(pattern: config[prefix + "pattern"] ?? "")
            default:
                throw RuntimeError.invalidConfig(name: prefix + "type", value: type, reason: "unknown predicate; known: org.apache.kafka.connect.transforms.predicates.TopicNameMatches")
            }
        }
        for name in names {
            let prefix = "transforms.\(name)."
            let type = config[prefix + "type"] ?? ""
            let simple = type.split(separator: ".").last.map(String.init) ?? type
            let transform: any Transformation
            switch simple {
            case "RegexRouter":
                transform = try RegexRouter(regex: config[prefix + "regex"] ?? "", replacement: config[prefix + "replacement"] ?? "")
            case "InsertField$Value", "InsertField$Key":
                transform = InsertField(
                    part: simple.hasSuffix("Key") ? .key : .value, topicField: config[prefix + "topic.field"],
                    partitionField: config[prefix + "partition.field"], timestampField: config[prefix + "timestamp.field"],
                    staticField: config[prefix + "static.field"], staticValue: config[prefix + "static.value"])
            case "ReplaceField$Value", "ReplaceField$Key":
                transform = ReplaceField(
                    part: simple.hasSuffix("Key") ? .key : .value,
                    include: Self.list(config[prefix + "include"] ?? config[prefix + "whitelist"]),
                    exclude: Self.list(config[prefix + "exclude"] ?? config[prefix + "blacklist"]),
                    renames: try ReplaceField.parseRenames(config[prefix + "renames"] ?? ""))
            case "Filter":
                guard let predicateName = config[prefix + "predicate"], let predicate = predicates[predicateName] else {
                    throw RuntimeError.invalidConfig(name: prefix + "predicate", value: config[prefix + "predicate"] ?? "", reason: "Filter needs a predicate defined under predicates")
                }
                transform = Filter(predicate: predicate, negate: (config[prefix + "negate"] ?? "false") == "true")
            default:
                throw RuntimeError.invalidConfig(
                    name: prefix + "type", value: type,
                    reason: "unknown transform; known: RegexRouter, InsertField$Value, InsertField$Key, ReplaceField$Value, ReplaceField$Key, Filter")
            }
            var step = Step(transform: transform, predicate: nil, negate: false)
            if simple != "Filter", let predicateName = config[prefix + "predicate"] {
                guard let predicate = predicates[predicateName] else {
                    throw RuntimeError.invalidConfig(name: prefix + "predicate", value: predicateName, reason: "no such predicate under predicates")
                }
                step.predicate = predicate
                step.negate = (config[prefix + "negate"] ?? "false") == "true"
            }
            steps.append(step)
        }
        spliceSteps = steps.map { step -> SpliceStep? in
            guard let transform = step.transform as? any SpliceableTransformation, transform.canSplice else { return nil }
            if let predicate = step.predicate {
                guard let topicOnly = predicate as? TopicNameMatches else { return nil }
                return SpliceStep(transform: transform, predicate: topicOnly, negate: step.negate)
            }
            return SpliceStep(transform: transform, predicate: nil, negate: step.negate)
        }.reduce([SpliceStep]?.some([])) { all, step in
            guard let all, let step else { return nil }
            return all + [step]
        }
    }

    /// Applies every step; returns `false` when a step dropped the record.
    public func apply(_ record: inout ConnectRecord) throws -> Bool {
        for step in steps {
            if let predicate = step.predicate, predicate.test(record) == step.negate { continue }
            if try !step.transform.apply(&record) { return false }
        }
        return true
    }

    /// Applies every step on the splice route (only when ``canSplice``); returns
    /// `false` when a step dropped the record.
    func splice(_ record: inout SplicedRecord) throws -> Bool {
        guard let spliceSteps else { return true }
        for step in spliceSteps {
            if let predicate = step.predicate, predicate.test(record.meta) == step.negate { continue }
            if try !step.transform.splice(&record) { return false }
        }
        return true
    }

    private static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
