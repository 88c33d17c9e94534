import Foundation

/// A source connector's `topic.creation.*` settings (KIP-158): how Kafka Connect
/// creates a topic the connector writes to that does not exist yet.
///
/// ```properties
/// topic.creation.groups=compacted
/// topic.creation.default.replication.factor=3
/// topic.creation.default.partitions=6
/// topic.creation.compacted.include=status-.*,config-.*
/// topic.creation.compacted.exclude=config-old
/// topic.creation.compacted.partitions=1
/// topic.creation.compacted.cleanup.policy=compact
/// ```
///
/// Creation is on for a connector when the worker's `topic.creation.enable` is true
/// (the default) and the connector sets both `topic.creation.default.replication.factor`
/// and `topic.creation.default.partitions` (-1: the broker's default). A topic takes
/// the first listed group whose `include` patterns match it and whose `exclude`
/// patterns do not, else `default`; a group without a replication factor or
/// partition count takes the default group's. Every other `topic.creation.<group>.`
/// key is a topic config of that group's topics.
public struct TopicCreationSettings: Sendable, Equatable {
    /// What a created topic gets.
    public struct Group: Sendable, Equatable {
        /// The group's name (`default` for the default group).
        public var name: String
        /// Replication factor, -1 for the broker's default.
        public var replicationFactor: Int
        /// Partitions, -1 for the broker's default.
        public var partitions: Int
        /// Topic configs (`cleanup.policy`, `compression.type`, ...).
        public var configs: [String: String]
        let include: [String]
        let exclude: [String]
    }

    /// The custom groups, in the order `topic.creation.groups` lists them.
    public let groups: [Group]
    /// The default group.
    public let defaultGroup: Group

    static let prefix = "topic.creation."

    /// The settings of `config`, or `nil` when creation is off for it (the worker
    /// disabled it, or the connector does not set the default group's replication
    /// factor and partitions). Call ``problems(in:)`` first: bad values are taken as
    /// the broker's defaults here.
    public init?(config: [String: String], workerEnabled: Bool) {
        guard workerEnabled,
            let replication = config["topic.creation.default.replication.factor"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }),
            let partitions = config["topic.creation.default.partitions"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
        else { return nil }
        defaultGroup = Self.group("default", in: config, replication: replication, partitions: partitions)
        groups = Self.groupNames(config).map { Self.group($0, in: config, replication: replication, partitions: partitions) }
    }

    /// The group `topic` is created with.
    public func group(for topic: String) -> Group {
        groups.first { group in
            group.include.contains { Self.matches($0, topic) } && !group.exclude.contains { Self.matches($0, topic) }
        } ?? defaultGroup
    }

    /// Every problem with `config`'s `topic.creation.*` settings.
    public static func problems(in config: [String: String]) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        func integer(_ key: String, required: Bool) {
            guard let text = config[key] else {
                if required {
                    problems.append(ConfigProblem(name: key, value: nil, message: "Missing required configuration \"\(key)\": topic creation needs the default group's replication factor and partitions (-1 for the broker's default)"))
                }
                return
            }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value == -1 || value >= 1, value <= Int(Int32.max) else {
                problems.append(ConfigProblem(name: key, value: text, message: "Invalid value \(text) for configuration \(key): expected -1 (the broker's default) or a positive integer"))
                return
            }
        }
        let mentioned = config.keys.contains { $0.hasPrefix(prefix) }
        guard mentioned else { return [] }
        let groups = groupNames(config)
        // Creation needs both defaults once any topic.creation setting is given.
        integer("topic.creation.default.replication.factor", required: true)
        integer("topic.creation.default.partitions", required: true)
        for name in groups {
            if name == "default" {
                problems.append(ConfigProblem(name: "topic.creation.groups", value: config["topic.creation.groups"], message: "'default' is the default group and cannot be listed in topic.creation.groups"))
                continue
            }
            let include = "topic.creation.\(name).include"
            if list(config[include]).isEmpty {
                problems.append(ConfigProblem(name: include, value: config[include], message: "Missing required configuration \"\(include)\": a topic creation group needs the topic patterns it includes"))
            }
            for key in [include, "topic.creation.\(name).exclude"] {
                for pattern in list(config[key]) where (try? NSRegularExpression(pattern: pattern)) == nil {
                    problems.append(ConfigProblem(name: key, value: pattern, message: "Invalid value \(pattern) for configuration \(key): not a valid regular expression"))
                }
            }
            integer("topic.creation.\(name).replication.factor", required: false)
            integer("topic.creation.\(name).partitions", required: false)
        }
        return problems
    }

    private static func groupNames(_ config: [String: String]) -> [String] {
        var seen = Set<String>()
        return list(config["topic.creation.groups"]).filter { seen.insert($0).inserted }
    }

    private static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static func group(_ name: String, in config: [String: String], replication: Int, partitions: Int) -> Group {
        let groupPrefix = prefix + name + "."
        var configs: [String: String] = [:]
        for (key, value) in config where key.hasPrefix(groupPrefix) {
            let setting = String(key.dropFirst(groupPrefix.count))
            if !["include", "exclude", "replication.factor", "partitions"].contains(setting) { configs[setting] = value }
        }
        func integer(_ setting: String) -> Int? { config[groupPrefix + setting].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
        return Group(
            name: name, replicationFactor: integer("replication.factor") ?? replication, partitions: integer("partitions") ?? partitions,
            configs: configs, include: list(config[groupPrefix + "include"]), exclude: list(config[groupPrefix + "exclude"]))
    }

    /// Whether `pattern` matches all of `topic` (Kafka's patterns are whole-name
    /// regular expressions).
    private static func matches(_ pattern: String, _ topic: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: "^(?:\(pattern))$") else { return false }
        return regex.firstMatch(in: topic, range: NSRange(topic.startIndex..., in: topic)) != nil
    }
}
