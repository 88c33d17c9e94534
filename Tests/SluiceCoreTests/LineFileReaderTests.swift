import Foundation
import SluiceCore
import Testing

@Suite("LineFileReader and FileAppender")
struct LineFileReaderTests {
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sluice-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)").path
    }

    static func readAll(_ reader: LineFileReader) throws -> [(String, Int64)] {
        var lines: [(String, Int64)] = []
        try reader.forEachLine { line, after in
            lines.append((String(decoding: line, as: UTF8.self), after))
            return true
        }
        return lines
    }

    @Test("lines written through the appender read back with their positions", arguments: ["plain.txt", "frames.lz4", "frames.zst"])
    func roundTrip(name: String) throws {
        let path = Self.temporaryPath(name)
        defer { unlink(path) }
        let appender = try FileAppender(path: path)
        let lines = (0..<5000).map { "line \($0) " + String(repeating: "x", count: $0 % 37) }
        for (index, line) in lines.enumerated() {
            try Array((line + "\n").utf8).withUnsafeBytes { try appender.append($0) }
            if index == 2500 { try appender.flush() }  // two frames for compressed files
        }
        try appender.flush()
        let reader = try LineFileReader(path: path, bufferBytes: 4096)
        let read = try Self.readAll(reader)
        #expect(read.map(\.0) == lines)
        let expectedEnd = Int64(lines.reduce(0) { $0 + $1.utf8.count + 1 })
        #expect(read.last?.1 == expectedEnd)

        // Resuming at a position returns exactly the lines after it.
        let resumeAt = read[1234].1
        let resumed = try Self.readAll(try LineFileReader(path: path, from: resumeAt, bufferBytes: 4096))
        #expect(resumed.map(\.0) == Array(lines[1235...]))
    }

    @Test("a growing file is followed; a partial last line waits for its newline")
    func follows() throws {
        let path = Self.temporaryPath("grow.txt")
        defer { unlink(path) }
        FileManager.default.createFile(atPath: path, contents: Data("a\nb".utf8))
        let reader = try LineFileReader(path: path)
        #expect(try Self.readAll(reader).map(\.0) == ["a"])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("c\nd\n".utf8))
        try handle.close()
        #expect(try Self.readAll(reader).map(\.0) == ["bc", "d"])
    }

    @Test("a corrupt compressed file is an error with the file and byte offset", arguments: ["bad.zst", "bad.lz4"])
    func corrupt(name: String) throws {
        let path = Self.temporaryPath(name)
        defer { unlink(path) }
        let appender = try FileAppender(path: path)
        try Array(String(repeating: "hello world\n", count: 1000).utf8).withUnsafeBytes { try appender.append($0) }
        try appender.flush()
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        for i in 20..<min(60, bytes.count) { bytes[i] ^= 0xFF }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try Self.readAll(try LineFileReader(path: path))
        } throws: { error in
            guard case let FileError.corrupt(errorPath, offset, _) = error else { return false }
            return errorPath == path && offset >= 0 && "\(error)".contains("is corrupt at byte")
        }
    }

    @Test("damage in the middle of a compressed file: every line before it is read, and the error names an offset near it", arguments: ["mid.zst", "mid.lz4"])
    func damageInTheMiddle(name: String) throws {
        let path = Self.temporaryPath(name)
        defer { unlink(path) }
        let appender = try FileAppender(path: path)
        // Random-looking lines so the compressed file is large: one frame of many blocks.
        var generator = SystemRandomNumberGenerator()
        let lines = (0..<60_000).map { "line \($0) \(UInt64.random(in: 0...UInt64.max, using: &generator))" }
        try Array(lines.map { $0 + "\n" }.joined().utf8).withUnsafeBytes { try appender.append($0) }
        try appender.flush()
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        let damage = bytes.count * 6 / 10
        for i in damage..<(damage + 64) { bytes[i] ^= 0xA5 }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var read: [String] = []
        var failure: FileError?
        do {
            try LineFileReader(path: path).forEachLine { line, _ in
                read.append(String(decoding: line, as: UTF8.self))
                return true
            }
        } catch let error as FileError {
            failure = error
        }
        guard case let .corrupt(_, offset, _)? = failure else {
            Issue.record("no corruption reported; \(read.count) lines read")
            return
        }
        #expect(read.count > lines.count / 3, "lines before the damage are read: \(read.count) of \(lines.count)")
        #expect(read == Array(lines.prefix(read.count)), "and they are the file's own lines")
        // Codecs notice damage at the end of the block holding it (lz4: 64 KiB, zstd:
        // 128 KiB at most), and the reader hands them 16 KiB at a time.
        let block: Int64 = 131_072
        #expect(offset > Int64(damage) - block && offset <= Int64(damage) + block + Int64(LineFileReader.compressedSliceBytes),
                "offset \(offset), damage at \(damage)")
    }

    @Test("a missing file names itself")
    func missing() {
        #expect(throws: FileError.io(path: "/nonexistent/x.txt", operation: "open", errno: ENOENT)) {
            try LineFileReader(path: "/nonexistent/x.txt")
        }
    }
}
