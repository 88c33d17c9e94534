/// `//` and `/* */` comments in JSON, as people write them in connector files and
/// documentation examples (the Kafka Connect documentation's JDBC example has one):
/// they are turned into spaces, outside strings only, so that line and column of a
/// later parse error stay where the text has them.
public enum JSONComments {
    /// `text` with its comments blanked.
    public static func blanked(_ text: [UInt8]) -> [UInt8] {
        var output = text
        var index = 0
        var inString = false
        while index < output.count {
            let byte = output[index]
            if inString {
                if byte == UInt8(ascii: "\\") { index += 2; continue }
                if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "/"), index + 1 < output.count {
                let next = output[index + 1]
                if next == UInt8(ascii: "/") {
                    while index < output.count && output[index] != 0x0A {
                        output[index] = 0x20
                        index += 1
                    }
                    continue
                } else if next == UInt8(ascii: "*") {
                    let start = index
                    index += 2
                    while index + 1 < output.count && !(output[index] == UInt8(ascii: "*") && output[index + 1] == UInt8(ascii: "/")) { index += 1 }
                    let end = min(index + 2, output.count)
                    for position in start..<end where output[position] != 0x0A { output[position] = 0x20 }
                    index = end
                    continue
                }
            }
            index += 1
        }
        return output
    }
}
