/// Decimal digits appended to a byte buffer without making a `String`: the JSON
/// writer and datagen's JSON values format an integer per field per record.
public enum ASCIIDecimal {
    /// Calls `body` with the decimal digits of `value`, made on the stack.
    @inlinable
    public static func withDigits<R>(of value: UInt64, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        var remaining = value
        // 24 bytes on the stack: room for the 20 digits of UInt64.max.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &digits) { buffer in
            var start = 24
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
            } while remaining > 0
            return body(UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// Appends the decimal digits of `value`.
    @inlinable
    public static func append(_ value: UInt64, to output: inout [UInt8]) {
        withDigits(of: value) { output.append(contentsOf: $0) }
    }

    /// Appends `value` in decimal, with a leading `-` when negative.
    @inlinable
    public static func append(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        append(value.magnitude, to: &output)
    }

    /// Writes `value` in decimal, with a leading `-` when negative.
    @inlinable
    public static func append(_ value: Int64, to writer: inout ArenaWriter) {
        if value < 0 { writer.append(UInt8(ascii: "-")) }
        withDigits(of: value.magnitude) { writer.append($0) }
    }
}
