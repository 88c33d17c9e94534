import Logging
import SluiceRuntime

/// A swift-log handler whose level is a ``LogLevels`` logger's, read on every line,
/// so `/admin/loggers` changes what the REST server's own logger writes while it runs.
struct LevelledLogHandler: LogHandler {
    let name: String
    let levels: LogLevels
    private var inner: StreamLogHandler

    init(name: String, levels: LogLevels) {
        self.name = name
        self.levels = levels
        inner = StreamLogHandler.standardError(label: name)
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    /// The logger's level in ``LogLevels``; setting it here has no effect.
    var logLevel: Logger.Level {
        get {
            switch levels.level(of: name) {
            case .off, .fatal: return .critical
            case .error: return .error
            case .warn: return .warning
            case .info: return .info
            case .debug: return .debug
            case .trace: return .trace
            }
        }
        set {}
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        guard levels.level(of: name) != .off else { return }
        inner.log(level: level, message: message, metadata: metadata, source: source, file: file, function: function, line: line)
    }
}
