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

    @Test("single-number offsets stay numbers in the file (older files read as before); offsets of several fields are objects")
    func structured() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("offsets-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json").path
        defer { unlink(path) }
        try Data(#"{"c":{"/a.txt":42}}"#.utf8).write(to: URL(fileURLWithPath: path))
        let file = try OffsetFile(path: path)
        #expect(file.offsets(of: "c") == ["/a.txt": 42])
        let jdbc = SourceOffset(["incrementing": 9, "timestamp": 1_700_000_000_000])
        file.record(connector: "j", partition: #"{"protocol":"1","table":"t"}"#, offset: jdbc)
        try file.flush()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(#"":42"#) && text.contains(#""incrementing":9"#), "\(text)")
        #expect(try OffsetFile(path: path).offsets(of: "j") == [#"{"protocol":"1","table":"t"}"#: jdbc])
    }

    @Test("stored offsets are numbers or objects of integers; anything else is not an offset")
    func offsetValues() {
        #expect(SourceOffset(json: NSNumber(value: 5)) == 5)
        #expect(SourceOffset(json: ["incrementing": NSNumber(value: 3)]) == SourceOffset(["incrementing": 3]))
        #expect(SourceOffset(json: ["a": "x"]) == nil)
        #expect(SourceOffset(json: ["a": NSNumber(value: 1.5)]) == nil)
        #expect(SourceOffset(json: NSNumber(value: true)) == nil)
        #expect(SourceOffset(json: [String: Any]()) == nil)
        #expect(SourceOffset(json: "7") == nil)
        #expect(SourcePartitionName.name(["partition": "/a.txt"]) == "/a.txt")
        #expect(SourcePartitionName.name(["table": "t", "protocol": "1"]) == #"{"protocol":"1","table":"t"}"#)
        #expect(SourcePartitionName.object("/a.txt") as? [String: String] == ["partition": "/a.txt"])
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
