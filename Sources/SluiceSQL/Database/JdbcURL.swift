/// A `connection.url` as JDBC users write it, for the databases Sluice reaches
/// through their own client libraries:
///
/// - `jdbc:mysql://host[:port][/database][?user=&password=&…]` and `jdbc:mariadb://…` (libmariadb, port 3306)
/// - `jdbc:postgresql://host[:port][/database][?user=&password=&…]` (libpq, port 5432)
/// - `jdbc:sqlite:PATH` (libsqlite3; `:memory:` for an in-memory database)
public struct JdbcURL: Equatable, Sendable {
    /// The database product a URL names.
    public enum Kind: String, Sendable {
        case mariadb = "MariaDB"
        case postgresql = "PostgreSQL"
        case sqlite = "SQLite"
    }

    /// Which database.
    public var kind: Kind
    /// The host (empty for SQLite).
    public var host: String
    /// The port (0 for SQLite).
    public var port: Int
    /// The database (MySQL's catalog, PostgreSQL's database), or the SQLite file.
    public var database: String
    /// The `?name=value` parameters, percent-decoded, `user` and `password` included.
    public var parameters: [String: String]

    /// The URL's user, if it names one.
    public var user: String? { parameters["user"] }
    /// The URL's password, if it names one.
    public var password: String? { parameters["password"] }

    /// Where the URL points, without credentials, for messages: `host:port/database` or the file.
    public var target: String { kind == .sqlite ? database : "\(host):\(port)\(database.isEmpty ? "" : "/" + database)" }

    /// Parses `text`.
    /// - Throws: ``SQLError/badURL(_:)`` naming what is wrong and the supported forms.
    public init(_ text: String) throws {
        let supported = "supported: jdbc:mysql://, jdbc:mariadb://, jdbc:postgresql://, jdbc:sqlite:PATH"
        guard text.hasPrefix("jdbc:") else { throw SQLError.badURL("connection.url must start with jdbc: (\(supported))") }
        let rest = text.dropFirst(5)
        if rest.hasPrefix("sqlite:") {
            let path = String(rest.dropFirst(7))
            guard !path.isEmpty else { throw SQLError.badURL("jdbc:sqlite: needs a file path, such as jdbc:sqlite:/tmp/test.db") }
            kind = .sqlite
            host = ""
            port = 0
            let split = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            database = String(split[0])
            parameters = split.count > 1 ? try Self.parameters(String(split[1])) : [:]
            return
        }
        let scheme = rest.prefix { $0 != ":" }
        switch scheme {
        case "mysql", "mariadb": kind = .mariadb; port = 3306
        case "postgresql": kind = .postgresql; port = 5432
        default:
            throw SQLError.badURL("Sluice cannot reach a jdbc:\(scheme) database (\(supported))")
        }
        var body = rest.dropFirst(scheme.count)
        guard body.hasPrefix("://") else { throw SQLError.badURL("jdbc:\(scheme) URLs look like jdbc:\(scheme)://host:port/database") }
        body = body.dropFirst(3)
        let query = body.firstIndex(of: "?")
        let authority = body[..<(query ?? body.endIndex)]
        parameters = try query.map { try Self.parameters(String(body[body.index(after: $0)...])) } ?? [:]
        let slash = authority.firstIndex(of: "/")
        let hostPort = authority[..<(slash ?? authority.endIndex)]
        database = slash.map { String(authority[authority.index(after: $0)...]) } ?? ""
        // Only the first host of a failover list is used.
        let first = hostPort.split(separator: ",").first.map(String.init) ?? ""
        if first.hasPrefix("[") {
            guard let close = first.firstIndex(of: "]") else { throw SQLError.badURL("connection.url: unclosed [ in the host") }
            host = String(first[first.index(after: first.startIndex)..<close])
            let after = first[first.index(after: close)...]
            if after.hasPrefix(":") { port = try Self.port(String(after.dropFirst())) }
        } else if let colon = first.lastIndex(of: ":") {
            host = String(first[..<colon])
            port = try Self.port(String(first[first.index(after: colon)...]))
        } else {
            host = first
        }
        if host.isEmpty { host = "localhost" }
    }

    private static func port(_ text: String) throws -> Int {
        guard let port = Int(text), (1...65_535).contains(port) else {
            throw SQLError.badURL("connection.url: invalid port '\(text)'")
        }
        return port
    }

    private static func parameters(_ query: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for pair in query.split(whereSeparator: { $0 == "&" || $0 == ";" }) where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = percentDecoded(String(parts[0])), let value = percentDecoded(parts.count > 1 ? String(parts[1]) : "") else {
                throw SQLError.badURL("connection.url: a parameter is not valid percent-encoding")
            }
            result[name] = value
        }
        return result
    }

    private static func percentDecoded(_ text: String) -> String? {
        guard text.contains("%") || text.contains("+") else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
