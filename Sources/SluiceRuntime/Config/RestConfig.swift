import Foundation

/// The REST listener's settings, read from a worker file as Kafka Connect names
/// them (standalone and distributed workers alike).
///
/// | key | meaning | default |
/// | --- | --- | --- |
/// | `listeners` | `http://host:port`, the scheme in any case as Kafka's own files write `HTTP://` (the first one is used) | `http://127.0.0.1:8083` |
/// | `rest.host.name`, `rest.port` | the older form of `listeners` | — |
/// | `rest.advertised.host.name` | the name other workers reach this one by | the host |
/// | `rest.auth.type` | `none`, `basic` or `bearer` | `none` |
/// | `rest.auth.basic.users` | `user:password` pairs, comma-separated | — |
/// | `rest.auth.bearer.token` | the token | — |
public struct RestConfig: Sendable, Equatable {
    /// The host to listen on (127.0.0.1 unless set).
    public var host: String
    /// The port (8083 unless set; 0 picks a free one).
    public var port: Int
    /// `rest.advertised.host.name`, when other workers must reach this one by another name.
    public var advertisedHost: String?
    /// `rest.auth.type`: none, basic or bearer.
    public var authType: String
    /// `rest.auth.basic.users` (references resolved).
    public var basicUsers: [String: String]
    /// `rest.auth.bearer.token` (references resolved).
    public var bearerToken: String?
    /// Whether `rest.auth.type` was set in the file (a listener off loopback needs it).
    public var authExplicit: Bool

    /// The settings these names take.
    static let names: Set<String> = [
        "listeners", "rest.host.name", "rest.port", "rest.advertised.host.name", "rest.auth.type",
        "rest.auth.basic.users", "rest.auth.bearer.token",
    ]

    /// Reads the REST settings of `properties` (references already resolved), adding
    /// what is wrong to `problems`.
    init(properties: [String: String], problems: inout [ConfigProblem]) {
        host = properties["rest.host.name"] ?? "127.0.0.1"
        port = 8083
        if let text = properties["rest.port"] {
            if let value = Int(text), value >= 0 {
                port = value
            } else {
                problems.append(ConfigProblem(name: "rest.port", value: text, message: "Invalid value \(text) for configuration rest.port: Value must be at least 0"))
            }
        }
        if let listeners = properties["listeners"] {
            let first = listeners.split(separator: ",").first.map(String.init) ?? ""
            if let url = URLComponents(string: first.trimmingCharacters(in: .whitespaces)), url.scheme?.lowercased() == "http", let port = url.port {
                host = (url.host ?? "").isEmpty ? "0.0.0.0" : url.host!
                self.port = port
            } else {
                problems.append(ConfigProblem(name: "listeners", value: listeners, message: "Invalid value \(listeners) for configuration listeners: expected http://host:port (https is not supported)"))
            }
        }
        advertisedHost = properties["rest.advertised.host.name"]
        authType = properties["rest.auth.type"] ?? "none"
        authExplicit = properties["rest.auth.type"] != nil
        basicUsers = [:]
        bearerToken = properties["rest.auth.bearer.token"]
        switch authType {
        case "none": break
        case "basic":
            for pair in (properties["rest.auth.basic.users"] ?? "").split(separator: ",") {
                let parts = pair.split(separator: ":", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, !parts[0].isEmpty { basicUsers[parts[0]] = parts[1] }
            }
            if basicUsers.isEmpty {
                problems.append(ConfigProblem(name: "rest.auth.basic.users", value: nil, message: "rest.auth.type=basic needs rest.auth.basic.users=user:password[,...]"))
            }
        case "bearer":
            if (bearerToken ?? "").isEmpty {
                problems.append(ConfigProblem(name: "rest.auth.bearer.token", value: nil, message: "rest.auth.type=bearer needs rest.auth.bearer.token"))
            }
        default:
            problems.append(ConfigProblem(name: "rest.auth.type", value: authType, message: "Invalid value \(authType) for configuration rest.auth.type: String must be one of: none, basic, bearer"))
        }
        if !isLoopback && !authExplicit {
            problems.append(ConfigProblem(
                name: "listeners", value: "http://\(host):\(port)",
                message: "The REST API would listen on \(host):\(port), reachable from the network, without authentication. Anyone who reaches it can create connectors, which read and write files and Kafka topics. Set rest.auth.type=basic (with rest.auth.basic.users) or rest.auth.type=bearer (with rest.auth.bearer.token), or set rest.auth.type=none to accept that risk explicitly."))
        }
    }

    /// Whether the listener is bound to a loopback address only.
    public var isLoopback: Bool {
        host.hasPrefix("127.") || host == "localhost" || host == "::1" || host == "[::1]"
    }

    /// Reads and checks the REST settings of `properties` (references already resolved).
    /// - Throws: ``RuntimeError/invalidConnectorConfig(connector:problems:)`` with connector "worker".
    public init(properties: [String: String]) throws {
        var problems: [ConfigProblem] = []
        self.init(properties: properties, problems: &problems)
        if !problems.isEmpty { throw RuntimeError.invalidConnectorConfig(connector: "worker", problems: problems) }
    }

    /// The host other workers and clients reach this listener by.
    public var reachableHost: String { advertisedHost ?? (host == "0.0.0.0" ? "127.0.0.1" : host) }
}
