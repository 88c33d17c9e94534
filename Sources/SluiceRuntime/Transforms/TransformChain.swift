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

    /// Each step's class as Kafka Connect names it
    /// (`org.apache.kafka.connect.transforms.InsertField$Value`), in order: what a
    /// dead letter's `__connect.errors.class.name` says when that step failed.
    package private(set) var classNames: [String] = []

    /// The package Kafka Connect's built-in transforms live in.
    static let kafkaPackage = "org.apache.kafka.connect.transforms."

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
        let names = TransformSettings.list(config["transforms"])
        var predicates: [String: any RecordPredicate] = [:]
        for name in TransformSettings.list(config["predicates"]) {
            let settings = TransformSettings(prefix: "predicates.\(name).", config: config)
            predicates[name] = try TransformCatalog.predicate(settings)
        }
        for name in names {
            let settings = TransformSettings(prefix: "transforms.\(name).", config: config)
            let prefix = settings.prefix
            let simple = settings.simpleType
            let transform = try TransformCatalog.transform(settings, predicates: predicates)
            var step = Step(transform: transform, predicate: nil, negate: false)
            if simple != "Filter", let predicateName = config[prefix + "predicate"] {
                guard let predicate = predicates[predicateName] else {
                    throw RuntimeError.invalidConfig(name: prefix + "predicate", value: predicateName, reason: "no such predicate under predicates")
                }
                step.predicate = predicate
                step.negate = (config[prefix + "negate"] ?? "false") == "true"
            }
            steps.append(step)
            classNames.append(settings.type.contains(".") ? settings.type : Self.kafkaPackage + simple)
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
        var step = 0
        return try apply(&record, step: &step)
    }

    /// Applies every step, keeping in `step` the index of the one running, so that
    /// when a step throws the caller knows which (see ``classNames``).
    func apply(_ record: inout ConnectRecord, step index: inout Int) throws -> Bool {
        for (position, step) in steps.enumerated() {
            index = position
            if let predicate = step.predicate, predicate.test(record) == step.negate { continue }
            if try !step.transform.apply(&record) { return false }
        }
        return true
    }

    /// Applies every step on the splice route (only when ``canSplice``); returns
    /// `false` when a step dropped the record.
    func splice(_ record: inout SplicedRecord) throws -> Bool {
        var step = 0
        return try splice(&record, step: &step)
    }

    /// ``splice(_:)``, keeping in `step` the index of the step running, as ``apply(_:step:)`` does.
    func splice(_ record: inout SplicedRecord, step index: inout Int) throws -> Bool {
        guard let spliceSteps else { return true }
        for (position, step) in spliceSteps.enumerated() {
            index = position
            if let predicate = step.predicate, predicate.test(record.meta) == step.negate { continue }
            if try !step.transform.splice(&record) { return false }
        }
        return true
    }

    /// The class name of step `index` (as ``apply(_:step:)`` left it).
    package func className(ofStep index: Int) -> String {
        classNames.indices.contains(index) ? classNames[index] : "org.apache.kafka.connect.transforms.Transformation"
    }
}
