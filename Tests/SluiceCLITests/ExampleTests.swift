import Foundation
import Testing

@Suite("Examples")
struct ExampleTests {
    @Test("the embedding example runs a user-written task to the end against its own cluster")
    func tickerSource() throws {
        let binary = SluiceProcess.executable.deletingLastPathComponent().appendingPathComponent("TickerSource")
        let process = Process()
        process.executableURL = binary
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(text.hasPrefix("STOPPED: 1000000 records acknowledged"), "output: \(text)")
    }
}
