/// Decimal digits appended to a byte buffer without making a `String`: the JSON
/// writer and datagen's JSON values format an integer per field per record.
public enum ASCIIDecimal {
    /// Appends the decimal digits of `value`.
    @inlinable
    public static func append(_ value: UInt64, to output: inout [UInt8]) {
        var remaining = value
        // 24 bytes on the stack: room for the 20 digits of UInt64.max.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var start = 24
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
            } while remaining > 0
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// Appends `value` in decimal, with a leading `-` when negative.
    @inlinable
    public static func append(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        append(value.magnitude, to: &output)
    }
}
