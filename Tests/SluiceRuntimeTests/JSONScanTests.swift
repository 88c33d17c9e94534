@testable import SluiceRuntime
import Testing

@Suite("JSONScan")
struct JSONScanTests {
    /// The byte-at-a-time answer the word-at-a-time scan must agree with.
    func naive(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            if bytes[index] < 0x20 || bytes[index] == 0x22 || bytes[index] == 0x5C { return index }
            index += 1
        }
        return bytes.count
    }

    @Test("finds the first quote, backslash or control byte at every position, and nothing else")
    func agreesWithByteScan() {
        var generator = SystemRandomNumberGenerator()
        // Every byte value alone at every offset of a 20-byte clean run.
        for special in 0...255 {
            for position in 0..<20 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 20)
                bytes[position] = UInt8(special)
                let found = bytes.withUnsafeBytes { JSONScan.firstSpecial(in: $0, from: 0) }
                #expect(found == naive(bytes, from: 0), "byte \(special) at \(position)")
            }
        }
        // Random text biased towards bytes next to the special ones (0x1F, 0x20, 0x21, 0x23, 0x5B, 0x5D, high bytes).
        let near: [UInt8] = [0x1F, 0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xFF, 0x22, 0x5C, 0x00]
        for _ in 0..<2000 {
            let count = Int.random(in: 0..<40, using: &generator)
            let bytes = (0..<count).map { _ in
                Bool.random(using: &generator) ? near.randomElement(using: &generator)! : UInt8.random(in: 0x20...0x7E, using: &generator)
            }
            let start = Int.random(in: 0...(count + 2), using: &generator)
            let found = bytes.withUnsafeBytes { JSONScan.firstSpecial(in: $0, from: start) }
            #expect(found == naive(bytes, from: start), "\(bytes) from \(start)")
        }
    }

    @Test("an escape as the last byte is an unterminated string, not a read past the end")
    func trailingBackslash() {
        for text in [#""abc\"#, #""abcdefghijklmnop\"#, #""\"#] {
            #expect(throws: ConversionError.self, "\(text)") {
                try Array(text.utf8).withUnsafeBytes { try JSONText.parse($0) }
            }
        }
    }
}
