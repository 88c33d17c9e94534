import Foundation
import SluiceConnectors
import SluiceRuntime
import Testing

@Suite("FileStreamSourceConnector")
struct FileStreamSourceConnectorTests {
    @Test("files and globs are split across up to tasks.max tasks")
    func splitsFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fss-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["a.log", "b.log", "c.log", "d.txt"] {
            FileManager.default.createFile(atPath: "\(folder)/\(name)", contents: Data())
        }
        let connector = FileStreamSourceConnector()
        try connector.start(config: ["name": "f", "files": "\(folder)/*.log, \(folder)/d.txt", "topic": "t"])
        let configs = connector.taskConfigs(maxTasks: 2)
        #expect(configs.count == 2)
        #expect(configs[0]["files"] == "\(folder)/a.log,\(folder)/c.log")
        #expect(configs[1]["files"] == "\(folder)/b.log,\(folder)/d.txt")
        #expect(connector.taskConfigs(maxTasks: 10).count == 4)
        #expect(throws: RuntimeError.self) { try FileStreamSourceConnector().start(config: ["name": "f", "files": "\(folder)/*.none"]) }
    }
}
