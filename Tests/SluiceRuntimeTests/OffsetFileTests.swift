import Foundation
import SluiceRuntime
import Testing

@Suite("OffsetFile")
struct OffsetFileTests {
    @Test("offsets survive a reload, and a flush replaces the file whole")
    func reload() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("offsets-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json").path
        defer { unlink(path) }
        let file = try OffsetFile(path: path)
        file.record(connector: "c", partition: "/a.txt", offset: 10)
        file.record(connector: "c", partition: "/a.txt", offset: 42)
        file.record(connector: "d", partition: "p", offset: 7)
        try file.flush()
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
        let again = try OffsetFile(path: path)
        #expect(again.offsets(of: "c") == ["/a.txt": 42])
        #expect(again.offsets(of: "d") == ["p": 7])
        try again.reset(connector: "c")
        try again.flush()
        #expect(try OffsetFile(path: path).offsets(of: "c").isEmpty)
    }

    @Test("a failed write keeps the offsets recorded, and the next flush writes them")
    func failedWriteKeepsOffsets() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("offsets-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json").path
        defer { unlink(path) }
        let file = try OffsetFile(path: path)
        file.record(connector: "c", partition: "p", offset: 10)
        // A folder where the temporary file goes: the write fails, even as root.
        try FileManager.default.createDirectory(atPath: path + ".tmp", withIntermediateDirectories: false)
        #expect(throws: RuntimeError.self) { try file.flush() }
        #expect(throws: RuntimeError.self) { try file.flush() }
        try FileManager.default.removeItem(atPath: path + ".tmp")
        try file.flush()
        #expect(try OffsetFile(path: path).offsets(of: "c") == ["p": 10], "what failed to be written was written by the next flush")
    }

    @Test("an offsets file that cannot be written fails at start, naming it")
    func unwritable() {
        #expect {
            _ = try OffsetFile(path: "/nonexistent-dir/offsets.json")
        } throws: { error in
            "\(error)".contains("offsets file '/nonexistent-dir/offsets.json'")
        }
    }

    @Test("a file that is not an offsets file is an error, not an empty start")
    func garbage() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("garbage-\(getpid()).json").path
        defer { unlink(path) }
        try Data("[1, 2]".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: RuntimeError.self) { try OffsetFile(path: path) }
    }
}
