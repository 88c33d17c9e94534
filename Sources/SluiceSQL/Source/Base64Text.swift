import SluiceCore

/// Standard base64 (with padding) appended to a byte buffer: how Kafka Connect's
/// JsonConverter writes `bytes` values, including decimals.
enum Base64Text {
    private static let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    /// Writes the base64 of `bytes` (with `=` padding) into `writer`.
    static func append(_ bytes: UnsafeRawBufferPointer, to writer: inout ArenaWriter) {
        let whole = bytes.count / 3
        let rest = bytes.count - whole * 3
        writer.write(byteCount: (whole + (rest > 0 ? 1 : 0)) * 4) { output in
            alphabet.withUTF8Buffer { alphabet in
                var out = 0
                func put(_ sextet: UInt32) {
                    output.storeBytes(of: alphabet[Int(sextet & 0x3f)], toByteOffset: out, as: UInt8.self)
                    out += 1
                }
                for group in 0..<whole {
                    let at = group * 3
                    let word = UInt32(bytes[at]) << 16 | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2])
                    put(word >> 18)
                    put(word >> 12)
                    put(word >> 6)
                    put(word)
                }
                guard rest > 0 else { return }
                let at = whole * 3
                let word = UInt32(bytes[at]) << 16 | (rest == 2 ? UInt32(bytes[at + 1]) << 8 : 0)
                put(word >> 18)
                put(word >> 12)
                if rest == 2 { put(word >> 6) } else { output.storeBytes(of: UInt8(ascii: "="), toByteOffset: out, as: UInt8.self); out += 1 }
                output.storeBytes(of: UInt8(ascii: "="), toByteOffset: out, as: UInt8.self)
            }
        }
    }
}
