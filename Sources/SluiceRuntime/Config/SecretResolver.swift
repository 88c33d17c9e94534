import Foundation

/// Resolves Kafka Connect's config-provider references in setting values, so
/// secrets stay out of the config topic and the REST API:
///
/// - `${env:NAME}` → the environment variable `NAME`;
/// - `${file:/path/to/file.properties:key}` → `key` from that properties file
///   (Kafka Connect's `FileConfigProvider` form).
///
/// References are resolved when a task starts, on the worker that runs it; what is
/// stored and shown is the reference.
public struct SecretResolver: Sendable {
    private let environment: [String: String]
    /// The providers references may name.
    public let providers: ConfigProviders

    /// A resolver reading `environment` (the process's by default) through `providers`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, providers: ConfigProviders = .unrestricted) {
        self.environment = environment
        self.providers = providers
    }

    /// The same resolver (same environment) through `providers`.
    public func with(providers: ConfigProviders) -> SecretResolver {
        SecretResolver(environment: environment, providers: providers)
    }

    /// `config` with every reference replaced.
    /// - Throws: ``RuntimeError/invalidConfig(name:value:reason:)`` naming the setting
    ///   whose reference cannot be resolved (the value in the error is the reference, never the secret).
    public func resolve(_ config: [String: String]) throws -> [String: String] {
        var result = config
        for (name, value) in config where value.contains("${") {
            result[name] = try resolve(value, setting: name)
        }
        return result
    }

    /// A worker file's settings with their references resolved, and a problem for
    /// each reference that cannot be (the problem shows the reference, never a value).
    public func resolveWorkerProperties(_ properties: [String: String]) -> (properties: [String: String], problems: [ConfigProblem]) {
        var resolved = properties
        var problems: [ConfigProblem] = []
        for (name, value) in properties.sorted(by: { $0.key < $1.key }) where value.contains("${") {
            do { resolved[name] = try resolve(value, setting: name) } catch let RuntimeError.invalidConfig(_, _, reason) {
                problems.append(ConfigProblem(name: name, value: value, message: "Invalid value for configuration \(name): \(reason)"))
            } catch {
                problems.append(ConfigProblem(name: name, value: value, message: "Invalid value for configuration \(name): \(error)"))
            }
        }
        return (resolved, problems)
    }

    /// One value with its references replaced.
    public func resolve(_ value: String, setting: String) throws -> String {
        var output = ""
        var rest = Substring(value)
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw RuntimeError.invalidConfig(name: setting, value: value, reason: "an unterminated '${' reference")
            }
            let reference = rest[start.upperBound..<end]
            output += try lookUp(String(reference), setting: setting, whole: value)
            rest = rest[rest.index(after: end)...]
        }
        return output + rest
    }

    private func lookUp(_ reference: String, setting: String, whole: String) throws -> String {
        guard let colon = reference.firstIndex(of: ":") else {
            throw RuntimeError.invalidConfig(name: setting, value: whole, reason: "a reference needs the form ${provider:...}")
        }
        let alias = String(reference[..<colon])
        let rest = String(reference[reference.index(after: colon)...])
        guard let provider = providers.providers[alias] else {
            let known = providers.providers.keys.sorted().joined(separator: ", ")
            throw RuntimeError.invalidConfig(
                name: setting, value: whole, reason: "unknown config provider '\(alias)' (declared in config.providers: \(known.isEmpty ? "none" : known))")
        }
        switch provider {
        case let .environment(allowlist):
            if let allowlist, rest.range(of: "^(?:\(allowlist))$", options: .regularExpression) == nil {
                throw RuntimeError.invalidConfig(
                    name: setting, value: whole, reason: "the environment variable \(rest) is not allowed by config.providers.\(alias).param.allowlist.pattern")
            }
            guard let found = environment[rest] else {
                throw RuntimeError.invalidConfig(name: setting, value: whole, reason: "the environment variable \(rest) is not set")
            }
            return found
        case let .file(allowedPaths):
            guard let keyColon = rest.lastIndex(of: ":") else {
                throw RuntimeError.invalidConfig(name: setting, value: whole, reason: "a file reference needs the form ${\(alias):/path:key}")
            }
            let path = String(rest[..<keyColon])
            let key = String(rest[rest.index(after: keyColon)...])
            if let allowedPaths, !ConfigProviders.isAllowed(path, in: allowedPaths) {
                throw RuntimeError.invalidConfig(
                    name: setting, value: whole,
                    reason: "\(path) is outside config.providers.\(alias).param.allowed.paths (\(allowedPaths.joined(separator: ", ")))")
            }
            let properties: [String: String]
            do {
                properties = try PropertiesFile.load(path: path)
            } catch {
                throw RuntimeError.invalidConfig(name: setting, value: whole, reason: "cannot read \(path): \(error)")
            }
            guard let found = properties[key] else {
                throw RuntimeError.invalidConfig(name: setting, value: whole, reason: "\(path) has no key '\(key)'")
            }
            return found
        }
    }

    /// A problem for every reference in `config` that cannot be resolved (an unknown
    /// provider, a path outside the allowed ones, a missing key...), for validation:
    /// the problems show the reference, never a value.
    public func referenceProblems(in config: [String: String]) -> [ConfigProblem] {
        config.sorted { $0.key < $1.key }.compactMap { name, value in
            guard value.contains("${") else { return nil }
            do {
                _ = try resolve(value, setting: name)
                return nil
            } catch let RuntimeError.invalidConfig(_, _, reason) {
                return ConfigProblem(name: name, value: value, message: "Invalid value for configuration \(name): \(reason)")
            } catch {
                return ConfigProblem(name: name, value: value, message: "Invalid value for configuration \(name): \(error)")
            }
        }
    }

    /// `taskConfig` with every value that a connector copied from a resolved reference
    /// put back as the reference (Kafka Connect's `reverseTransform`), so task configs
    /// can be stored and shown without the secrets in them.
    /// - Parameters:
    ///   - raw: the connector's config as stored, references unresolved.
    ///   - resolved: the same config with its references resolved.
    public static func restoringReferences(
        in taskConfig: [String: String], raw: [String: String], resolved: [String: String]
    ) -> [String: String] {
        var result = taskConfig
        for (name, reference) in raw where reference.contains("${") {
            if let value = taskConfig[name], value == resolved[name] { result[name] = reference }
        }
        return result
    }

    /// `config` with the values of secret-looking settings (password, secret,
    /// token, key material, JAAS) replaced by `[hidden]`, for logs.
    public static func redacted(_ config: [String: String]) -> [String: String] {
        var result = config
        for name in config.keys where isSecret(name) { result[name] = "[hidden]" }
        return result
    }

    /// Whether a setting's name marks it as secret.
    public static func isSecret(_ name: String) -> Bool {
        let lower = name.lowercased()
        return ["password", "secret", "token", "jaas", "private.key", "credentials"].contains { lower.contains($0) }
    }
}
