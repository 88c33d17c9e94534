import Foundation

/// The config providers a worker declares, as Kafka's `config.providers`:
///
/// ```properties
/// config.providers=file,env
/// config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider
/// config.providers.file.param.allowed.paths=/etc/sluice/secrets
/// config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
/// config.providers.env.param.allowlist.pattern=DB_.*
/// ```
///
/// A reference `${alias:...}` names a declared provider. A worker file without
/// `config.providers` gets Sluice's default, `env` and `file` without restrictions
/// (Kafka Connect resolves nothing then); declare the providers to restrict them.
public struct ConfigProviders: Sendable {
    /// One declared provider.
    public enum Provider: Sendable {
        /// Environment variables, optionally only those whose name matches a pattern.
        case environment(allowlist: String?)
        /// Keys of properties files, optionally only under some folders.
        case file(allowedPaths: [String]?)
    }

    /// Providers by alias.
    public let providers: [String: Provider]

    /// Sluice's default: `env` and `file`, unrestricted.
    public static let unrestricted = ConfigProviders(providers: ["env": .environment(allowlist: nil), "file": .file(allowedPaths: nil)])

    /// Providers given one by one.
    public init(providers: [String: Provider]) {
        self.providers = providers
    }

    /// The providers a worker file declares (``unrestricted`` when it declares none),
    /// adding what is wrong to `problems`.
    static func declared(in properties: [String: String], problems: inout [ConfigProblem]) -> ConfigProviders {
        guard let list = properties["config.providers"] else { return .unrestricted }
        var providers: [String: Provider] = [:]
        for alias in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !alias.isEmpty {
            let prefix = "config.providers.\(alias)."
            let className = properties[prefix + "class"] ?? ""
            switch className.split(separator: ".").last.map(String.init) ?? className {
            case "FileConfigProvider":
                let paths = properties[prefix + "param.allowed.paths"].map {
                    $0.split(separator: ",").map { ($0.trimmingCharacters(in: .whitespaces) as NSString).standardizingPath }.filter { !$0.isEmpty }
                }
                providers[alias] = .file(allowedPaths: paths)
            case "EnvVarConfigProvider":
                let pattern = properties[prefix + "param.allowlist.pattern"]
                if let pattern, (try? NSRegularExpression(pattern: pattern)) == nil {
                    problems.append(ConfigProblem(name: prefix + "param.allowlist.pattern", value: pattern, message: "Invalid value \(pattern) for configuration \(prefix)param.allowlist.pattern: not a valid regular expression"))
                }
                providers[alias] = .environment(allowlist: pattern)
            default:
                problems.append(ConfigProblem(
                    name: prefix + "class", value: className.isEmpty ? nil : className,
                    message: "Config provider '\(alias)' needs \(prefix)class: org.apache.kafka.common.config.provider.FileConfigProvider or org.apache.kafka.common.config.provider.EnvVarConfigProvider"))
            }
        }
        return ConfigProviders(providers: providers)
    }

    /// The declared providers of a worker file.
    /// - Throws: ``RuntimeError/invalidConnectorConfig(connector:problems:)`` (connector "worker").
    public init(properties: [String: String]) throws {
        var problems: [ConfigProblem] = []
        self = Self.declared(in: properties, problems: &problems)
        if !problems.isEmpty { throw RuntimeError.invalidConnectorConfig(connector: "worker", problems: problems) }
    }

    /// Whether `path` lies inside one of `allowed` (after resolving `.` and `..`).
    static func isAllowed(_ path: String, in allowed: [String]) -> Bool {
        let standard = (path as NSString).standardizingPath
        return allowed.contains { root in standard == root || standard.hasPrefix(root.hasSuffix("/") ? root : root + "/") }
    }
}
