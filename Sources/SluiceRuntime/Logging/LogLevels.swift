import Foundation
import Synchronization

/// The levels of Sluice's loggers, changed at run time through `/admin/loggers`
/// as Kafka Connect's are (KIP-495).
///
/// Loggers are named by dotted namespaces; one without a level of its own takes the
/// nearest ancestor's (`sluice.worker` → `sluice` → `root`). Sluice's own loggers:
///
/// | logger | what it writes | default |
/// | --- | --- | --- |
/// | `sluice.worker` | the worker's and herder's lines (connectors created, rebalances, task failures) | INFO (root's) |
/// | `sluice.errors` | `errors.log.enable` lines of tolerated record failures | INFO (root's) |
/// | `sluice.rest` | the REST server's own warnings | WARN |
///
/// Thread-safety: the table is behind a mutex; lines check their level on any thread.
public final class LogLevels: Sendable {
    /// A logger's level as set (or the default), with when it was set.
    public struct Setting: Sendable, Equatable {
        /// The level.
        public var level: LogLevel
        /// When it was set through `/admin/loggers`, in milliseconds since the epoch
        /// (`nil`: the level it started with).
        public var lastModifiedMs: Int64?
    }

    /// The levels the process's own lines use.
    public static let shared = LogLevels()

    /// The root logger's name.
    public static let root = "root"
    /// The loggers Sluice writes through.
    public static let sluiceLoggers = ["sluice.worker", "sluice.errors", "sluice.rest"]

    private let table: Mutex<(settings: [String: Setting], known: Set<String>)>

    /// Root at INFO, `sluice.rest` at WARN.
    public init() {
        table = Mutex((
            [Self.root: Setting(level: .info, lastModifiedMs: nil), "sluice.rest": Setting(level: .warn, lastModifiedMs: nil)],
            Set(Self.sluiceLoggers)))
    }

    /// The level in force for `name`: its own, or its nearest ancestor's.
    public func level(of name: String) -> LogLevel {
        table.withLock { Self.effective(name, in: $0.settings) }
    }

    /// Whether logger `name` writes a line of level `line`.
    public func isEnabled(_ line: LogLevel, _ name: String) -> Bool {
        level(of: name).allows(line)
    }

    /// Every logger (root, Sluice's, and any a level was set on) with the level in
    /// force and when it was set, as `GET /admin/loggers` lists them.
    public func all() -> [String: Setting] {
        table.withLock { table in
            var result: [String: Setting] = [:]
            for name in table.known.union(table.settings.keys) {
                result[name] = table.settings[name] ?? Setting(level: Self.effective(name, in: table.settings), lastModifiedMs: nil)
            }
            return result
        }
    }

    /// Whether `name` is a logger this process has (root, Sluice's, or one a level was set on).
    public func exists(_ name: String) -> Bool {
        table.withLock { name == Self.root || $0.known.contains(name) || $0.settings[name] != nil }
    }

    /// Sets `namespace`'s level, which its descendants without a level of their own
    /// follow; a level set on a descendant before is replaced, as log4j does.
    /// - Returns: the loggers whose level this set, sorted.
    @discardableResult
    public func set(_ namespace: String, to level: LogLevel) -> [String] {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return table.withLock { table in
            let isRoot = namespace == Self.root
            let under = table.known.union(table.settings.keys).filter { name in
                isRoot || name == namespace || name.hasPrefix(namespace + ".")
            }
            var affected = Set(under)
            affected.insert(namespace)
            for name in affected { table.settings[name] = Setting(level: level, lastModifiedMs: now) }
            table.known.formUnion(affected.subtracting([Self.root]))
            return affected.sorted()
        }
    }

    private static func effective(_ name: String, in settings: [String: Setting]) -> LogLevel {
        var current = Substring(name)
        while true {
            if let setting = settings[String(current)] { return setting.level }
            guard let dot = current.lastIndex(of: ".") else { break }
            current = current[..<dot]
        }
        return settings[root]?.level ?? .info
    }
}
