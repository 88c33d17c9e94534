/// Kafka Connect's `Decimal` logical type carries the unscaled value as big-endian
/// two's-complement bytes (Java's `BigInteger.toByteArray()`): this turns a
/// decimal's text (`-123.45`) at a given scale into those bytes, reusing its buffers.
struct DecimalBytes {
    /// The unscaled value's magnitude, little-endian base 256, reused between values.
    private var magnitude: [UInt8] = []
    /// The result, big-endian.
    private(set) var bytes: [UInt8] = []

    /// Calls `body` with the unscaled value of `text` at `scale` as ``set(text:scale:)``
    /// makes it; a text of up to 18 characters is converted on the stack, without
    /// touching the arrays. Returns false (and `body` is not called) when `text` is not a decimal.
    mutating func withBytes(text: UnsafeRawBufferPointer, scale: Int, _ body: (UnsafeRawBufferPointer) -> Void) -> Bool {
        if text.count <= 18, let unscaled = Self.smallUnscaled(text, scale: scale) {
            let count = Self.minimalByteCount(unscaled)
            var bigEndian = unscaled.bigEndian
            withUnsafeBytes(of: &bigEndian) { body(UnsafeRawBufferPointer(rebasing: $0[(8 - count)...])) }
            return true
        }
        guard set(text: text, scale: scale) else { return false }
        bytes.withUnsafeBytes(body)
        return true
    }

    /// Sets ``bytes`` to the unscaled value of `text` at `scale` (fraction digits beyond
    /// `scale` are an error, missing ones are zeros). Returns false when `text` is not a decimal.
    mutating func set(text: UnsafeRawBufferPointer, scale: Int) -> Bool {
        if text.count <= 18, let unscaled = Self.smallUnscaled(text, scale: scale) {
            setBytes(of: unscaled)
            return true
        }
        magnitude.removeAll(keepingCapacity: true)
        var negative = false
        var fractionDigits = -1
        var digits = 0
        func push(_ digit: UInt8) {
            var carry = Int(digit)
            for i in magnitude.indices {
                let value = Int(magnitude[i]) * 10 + carry
                magnitude[i] = UInt8(value & 0xff)
                carry = value >> 8
            }
            while carry > 0 {
                magnitude.append(UInt8(carry & 0xff))
                carry >>= 8
            }
        }
        for (index, byte) in text.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where index == 0: negative = true
            case UInt8(ascii: "+") where index == 0: break
            case UInt8(ascii: "."):
                guard fractionDigits < 0 else { return false }
                fractionDigits = 0
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if fractionDigits >= 0 {
                    fractionDigits += 1
                    guard fractionDigits <= scale else {
                        // Only trailing zeros may go beyond the scale.
                        guard byte == UInt8(ascii: "0") else { return false }
                        continue
                    }
                }
                push(byte - UInt8(ascii: "0"))
                digits += 1
            default: return false
            }
        }
        guard digits > 0 else { return false }
        for _ in 0..<max(0, scale - max(fractionDigits, 0)) { push(0) }
        // Two's complement, minimal length, big-endian.
        if negative && magnitude.contains(where: { $0 != 0 }) {
            var carry = 1
            for i in magnitude.indices {
                let value = Int(~magnitude[i]) + carry
                magnitude[i] = UInt8(value & 0xff)
                carry = value >> 8
            }
            if magnitude.last.map({ $0 & 0x80 == 0 }) ?? true { magnitude.append(0xff) }
        } else if magnitude.last.map({ $0 & 0x80 != 0 }) ?? true {
            magnitude.append(0)
        }
        // Drop redundant sign bytes.
        while magnitude.count > 1 {
            let top = magnitude[magnitude.count - 1], next = magnitude[magnitude.count - 2]
            if (top == 0 && next & 0x80 == 0) || (top == 0xff && next & 0x80 != 0) { magnitude.removeLast() } else { break }
        }
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: magnitude.reversed())
        return true
    }

    /// The unscaled value of a short decimal text (at most 18 characters, so it fits
    /// an Int64 at any scale up to 18), or nil to take the general path.
    private static func smallUnscaled(_ text: UnsafeRawBufferPointer, scale: Int) -> Int64? {
        guard scale <= 18 else { return nil }
        var value: Int64 = 0
        var negative = false
        var fraction = -1
        var digits = 0
        for (index, byte) in text.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where index == 0: negative = true
            case UInt8(ascii: "."):
                guard fraction < 0 else { return nil }
                fraction = 0
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if fraction >= 0 {
                    fraction += 1
                    if fraction > scale { guard byte == UInt8(ascii: "0") else { return nil }; continue }
                }
                value = value * 10 + Int64(byte - 48)
                digits += 1
            default: return nil
            }
        }
        guard digits > 0 else { return nil }
        for _ in 0..<max(0, scale - max(fraction, 0)) {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            value = times
        }
        return negative ? -value : value
    }

    /// ``bytes`` = `value` as minimal big-endian two's complement.
    private mutating func setBytes(of value: Int64) {
        bytes.removeAll(keepingCapacity: true)
        let count = Self.minimalByteCount(value)
        for shift in stride(from: (count - 1) * 8, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    /// How many bytes `value` takes as minimal two's complement (1...8).
    private static func minimalByteCount(_ value: Int64) -> Int {
        var count = 8
        while count > 1 {
            let top = UInt8(truncatingIfNeeded: value >> ((count - 1) * 8))
            let next = UInt8(truncatingIfNeeded: value >> ((count - 2) * 8))
            if (top == 0 && next & 0x80 == 0) || (top == 0xff && next & 0x80 != 0) { count -= 1 } else { break }
        }
        return count
    }
}
