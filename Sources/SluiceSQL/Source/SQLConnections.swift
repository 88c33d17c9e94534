#if canImport(Glibc)
import Glibc
#endif

/// Opens the database a SQL source's settings name, through the client library of
/// its URL's kind, trying `connection.attempts` times `connection.backoff.ms` apart.
enum SQLConnections {
    /// A connection for `config`; `log` hears of each failed attempt.
    /// - Throws: the last attempt's ``SQLError``.
    static func open(_ config: SQLSourceConfig, log: (String) -> Void = { _ in }) throws -> any SQLDatabase {
        let user = config.user ?? config.url.user
        let password = config.password ?? config.url.password
        var attempt = 1
        while true {
            do {
                switch config.url.kind {
                case .sqlite: return try SQLiteDatabase(url: config.url)
                case .postgresql: return try PostgresDatabase(url: config.url, user: user, password: password, connectTimeoutSeconds: 10)
                case .mariadb: return try MariaDBDatabase(url: config.url, user: user, password: password, connectTimeoutSeconds: 10)
                }
            } catch let error as SQLError {
                guard attempt < config.attempts else { throw error }
                log("connection attempt \(attempt) of \(config.attempts) failed: \(error); retrying in \(config.backoffMs) ms")
                attempt += 1
                usleep(UInt32(min(config.backoffMs, 3_600_000)) * 1000)
            }
        }
    }
}
