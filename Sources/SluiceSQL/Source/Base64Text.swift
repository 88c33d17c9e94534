/// Standard base64 (with padding) appended to a byte buffer: how Kafka Connect's
/// JsonConverter writes `bytes` values, including decimals.
enum Base64Text {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Appends the base64 of `bytes` to `output`.
    static func append<Bytes: Collection>(_ bytes: Bytes, to output: inout [UInt8]) where Bytes.Element == UInt8 {
        var iterator = bytes.makeIterator()
        while let a = iterator.next() {
            let b = iterator.next()
            let c = iterator.next()
            output.append(alphabet[Int(a >> 2)])
            output.append(alphabet[Int((a & 0x03) << 4 | (b ?? 0) >> 4)])
            output.append(b == nil ? UInt8(ascii: "=") : alphabet[Int(((b ?? 0) & 0x0f) << 2 | (c ?? 0) >> 6)])
            output.append(c == nil ? UInt8(ascii: "=") : alphabet[Int((c ?? 0) & 0x3f)])
        }
    }
}
