@testable import SluiceRuntime
import Testing

/// The loggers `/admin/loggers` shows and changes.
@Suite("Log levels")
struct LogLevelsTests {
    @Test("a logger without a level takes its nearest ancestor's; root is INFO, sluice.rest WARN")
    func inheritance() {
        let levels = LogLevels()
        #expect(levels.level(of: "sluice.worker") == .info)
        #expect(levels.level(of: "sluice.rest") == .warn)
        #expect(levels.isEnabled(.info, "sluice.worker"))
        #expect(!levels.isEnabled(.debug, "sluice.worker"))
        #expect(!levels.isEnabled(.info, "sluice.rest"))
        levels.set("sluice", to: .error)
        #expect(levels.level(of: "sluice.anything.deeper") == .error, "a new descendant follows sluice")
        #expect(levels.level(of: "other") == .info, "other namespaces keep root's")
    }

    @Test("setting a namespace sets it and every logger under it, and says which; root sets them all")
    func setting() {
        let levels = LogLevels()
        #expect(levels.set("sluice", to: .debug) == ["sluice", "sluice.errors", "sluice.rest", "sluice.worker"])
        #expect(levels.level(of: "sluice.rest") == .debug, "a level set on a descendant before is replaced")
        #expect(levels.all()["sluice.worker"]?.lastModifiedMs != nil)
        #expect(levels.set("sluice.worker", to: .off) == ["sluice.worker"])
        #expect(!levels.isEnabled(.fatal, "sluice.worker"), "OFF writes nothing")
        #expect(levels.set("root", to: .warn).contains("root"))
        #expect(levels.all().values.allSatisfy { $0.level == .warn })
        #expect(!levels.exists("com.example"))
        levels.set("com.example", to: .trace)
        #expect(levels.exists("com.example") && levels.level(of: "com.example") == .trace)
    }

    @Test("levels are read in any case; WARNING is WARN; others are refused", arguments: [
        ("debug", LogLevel.debug), ("WARNING", .warn), ("Off", .off), ("verbose", nil),
    ] as [(String, LogLevel?)])
    func names(text: String, level: LogLevel?) {
        #expect(LogLevel(named: text) == level)
    }

    @Test("a cluster level is Kafka Connect's config topic record: logger-cluster-<namespace> with {\"level\": ...}")
    func clusterRecord() {
        let record = ClusterLoggerLevel.record(topic: "connect-configs", namespace: "sluice.rest", level: .debug)
        #expect(record.key.map { String(decoding: $0, as: UTF8.self) } == "logger-cluster-sluice.rest")
        #expect(record.value.map { String(decoding: $0, as: UTF8.self) } == #"{"level":"DEBUG"}"#)
        let parsed = ClusterLoggerLevel.parse(key: record.key, value: record.value)
        #expect(parsed?.namespace == "sluice.rest" && parsed?.level == .debug)
        #expect(ClusterLoggerLevel.parse(key: Array("connector-x".utf8), value: record.value) == nil)
        #expect(ClusterLoggerLevel.parse(key: record.key, value: Array(#"{"level":"LOUD"}"#.utf8)) == nil)
    }
}
