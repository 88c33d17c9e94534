import Foundation
import Testing

@testable import SluiceCore

/// A writer killed while writing leaves a prefix of the bytes it meant to write; these
/// tests cut files at random points to stand for that, then open them again.
@Suite("Compressed files torn by a crash are cut back to their last complete frame")
struct TornFrameTests {
    /// Lines of random-looking text (so frames do not shrink to nothing).
    static func lines(_ count: Int, prefix: String) -> [String] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { "\(prefix) \($0) \(UInt64.random(in: 0...UInt64.max, using: &generator))" }
    }

    static func readLines(_ path: String) throws -> [String] {
        var read: [String] = []
        try LineFileReader(path: path).forEachLine { line, _ in
            read.append(String(decoding: line, as: UTF8.self))
            return true
        }
        return read
    }

    /// Whether the codec's own command-line tool, when installed, calls the file intact.
    static func toolAccepts(_ path: String, codec: String) -> Bool? {
        let tool = "/usr/bin/" + (codec == "zst" ? "zstd" : "lz4")
        guard FileManager.default.isExecutableFile(atPath: tool) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-t", "-q", path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test("20 random cuts: the reopened file keeps every line of its complete frames, takes new lines, and decodes", arguments: ["zst", "lz4"])
    func randomCuts(codec: String) throws {
        let original = LineFileReaderTests.temporaryPath("whole.\(codec)")
        defer { unlink(original) }
        // Several flushes (one frame each) and one large stretch that ends frames by itself.
        let appender = try FileAppender(path: original)
        let lines = Self.lines(60_000, prefix: "line")
        var boundaries: [(bytes: Int64, lines: Int)] = []
        var written = 0
        for chunk in [5_000, 40_000, 5_000, 10_000] {
            for line in lines[written..<written + chunk] {
                try Array(line.utf8).withUnsafeBytes { try appender.appendLine($0) }
            }
            written += chunk
            try appender.flush()
            let size = Int64((try FileManager.default.attributesOfItem(atPath: original)[.size] as? NSNumber)?.int64Value ?? 0)
            boundaries.append((size, written))
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: original))
        #expect(try Self.readLines(original) == lines)
        for round in 0..<20 {
            let cut = Int.random(in: 1..<bytes.count)
            let path = LineFileReaderTests.temporaryPath("torn-\(round).\(codec)")
            defer { unlink(path) }
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: path))
            let reopened = try FileAppender(path: path)
            let after = Self.lines(100, prefix: "after-\(round)")
            for line in after { try Array(line.utf8).withUnsafeBytes { try reopened.appendLine($0) } }
            try reopened.flush()
            let read = try Self.readLines(path)
            #expect(read.suffix(after.count) == ArraySlice(after), "cut at \(cut): the new lines follow")
            let kept = read.dropLast(after.count)
            #expect(kept == lines.prefix(kept.count), "cut at \(cut): what is kept is the file's own lines, in order")
            let committed = boundaries.last { $0.bytes <= Int64(cut) }?.lines ?? 0
            #expect(kept.count >= committed, "cut at \(cut): every line of a complete frame stays (\(kept.count) < \(committed))")
            if let accepted = Self.toolAccepts(path, codec: codec) { #expect(accepted, "cut at \(cut): the \(codec) tool reads the repaired file") }
        }
    }

    @Test("between flushes only whole frames reach the file", arguments: ["zst", "lz4"])
    func wholeFramesBetweenFlushes(codec: String) throws {
        let path = LineFileReaderTests.temporaryPath("partial.\(codec)")
        defer { unlink(path) }
        let appender = try FileAppender(path: path)
        let lines = Self.lines(120_000, prefix: "x")
        for line in lines { try Array(line.utf8).withUnsafeBytes { try appender.appendLine($0) } }
        // No flush: what is on disk now is what a kill -9 would leave.
        let onDisk = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(onDisk.count > 1 << 20, "more than 1 MiB was encoded, so frames were written")
        let read = try Self.readLines(path)
        #expect(!read.isEmpty && read == Array(lines.prefix(read.count)))
        let reopened = try FileAppender(path: path)
        #expect(reopened.truncatedTornBytes == 0, "nothing torn: frames are written whole")
    }

    @Test("a file that is not frames of its codec is an error and is left as it was")
    func foreignFile() throws {
        let path = LineFileReaderTests.temporaryPath("foreign.zst")
        defer { unlink(path) }
        let text = Data("plain text, not zstd\n".utf8)
        try text.write(to: URL(fileURLWithPath: path))
        #expect(throws: FileError.self) { _ = try FileAppender(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == text)
    }
}
