import SluiceCore

/// A decimal's text as Kafka's `JsonConverter` writes it with `decimal.format=NUMERIC`:
/// a JSON number in the form of Java's `BigDecimal.toString()` at the column's scale
/// (`12.50` for `12.5` at scale 2; exponent form when the scale is negative or the
/// number is tiny: `1.2E+3` at scale -2, `1E-7` at scale 7).
///
/// The digits are read from the database's text where they lie (no array per value).
enum DecimalNumberText {
    /// Writes `text` (`-12.5`, `+007.10`, `3`) at `scale` into `writer`.
    /// - Returns: false when `text` is not a decimal of that scale (a fraction digit
    ///   beyond the scale that is not 0, or for a negative scale an integer digit that
    ///   should be a 0); nothing is then written.
    static func append(_ text: UnsafeRawBufferPointer, scale: Int, to writer: inout ArenaWriter) -> Bool {
        guard let number = Number(text, scale: scale) else { return false }
        let count = number.digitCount
        let adjusted = -scale + (count - 1)
        if number.negative { writer.append(UInt8(ascii: "-")) }
        if scale == 0 {
            for index in 0..<count { writer.append(number.digit(index)) }
        } else if scale > 0 && adjusted >= -6 {
            if count > scale {
                for index in 0..<(count - scale) { writer.append(number.digit(index)) }
                writer.append(UInt8(ascii: "."))
                for index in (count - scale)..<count { writer.append(number.digit(index)) }
            } else {
                writer.append("0.")
                for _ in 0..<(scale - count) { writer.append(UInt8(ascii: "0")) }
                for index in 0..<count { writer.append(number.digit(index)) }
            }
        } else {
            writer.append(number.digit(0))
            if count > 1 {
                writer.append(UInt8(ascii: "."))
                for index in 1..<count { writer.append(number.digit(index)) }
            }
            writer.append(UInt8(ascii: "E"))
            writer.append(adjusted < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            ASCIIDecimal.withDigits(of: UInt64(abs(adjusted))) { writer.append($0) }
        }
        return true
    }

    /// The unscaled value's digits (BigDecimal's coefficient) where they lie in the text.
    private struct Number {
        let text: UnsafeRawBufferPointer
        let negative: Bool
        /// The integer digits, then the fraction digits kept (at most `scale`), then
        /// zeros up to `scale`: the coefficient before its leading zeros are dropped.
        let integer: Range<Int>
        let fraction: Range<Int>
        let padding: Int
        /// Where the coefficient starts in that sequence, and its length (at least 1).
        let first: Int
        let digitCount: Int

        init?(_ text: UnsafeRawBufferPointer, scale: Int) {
            var index = 0
            var negative = false
            if index < text.count, text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
                negative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            let integerStart = index
            while index < text.count, text[index] &- UInt8(ascii: "0") < 10 { index += 1 }
            var integer = integerStart..<index
            var fraction = index..<index
            if index < text.count, text[index] == UInt8(ascii: ".") {
                index += 1
                let fractionStart = index
                while index < text.count, text[index] &- UInt8(ascii: "0") < 10 { index += 1 }
                fraction = fractionStart..<index
            }
            guard index == text.count, !integer.isEmpty || !fraction.isEmpty else { return nil }
            // Digits beyond the scale may only be zeros.
            let kept = max(0, min(fraction.count, scale))
            guard fraction.dropFirst(kept).allSatisfy({ text[$0] == UInt8(ascii: "0") }) else { return nil }
            fraction = fraction.lowerBound..<(fraction.lowerBound + kept)
            if scale < 0 {
                // The last -scale integer digits are the power of ten the scale stands for.
                let dropped = min(-scale, integer.count)
                guard integer.suffix(dropped).allSatisfy({ text[$0] == UInt8(ascii: "0") }) else { return nil }
                integer = integer.lowerBound..<(integer.upperBound - dropped)
            }
            self.text = text
            self.integer = integer
            self.fraction = fraction
            padding = max(0, scale - kept)
            let total = integer.count + fraction.count + padding
            var first = 0
            while first < total - 1, Self.digit(first, text: text, integer: integer, fraction: fraction) == UInt8(ascii: "0") {
                first += 1
            }
            self.first = first
            digitCount = max(total - first, 1)
            // A zero has no sign (BigDecimal has no negative zero).
            self.negative = negative && !(digitCount == 1 && Self.digit(first, text: text, integer: integer, fraction: fraction) == UInt8(ascii: "0"))
        }

        /// The coefficient's digit at `index` (0 is its first, most significant digit).
        func digit(_ index: Int) -> UInt8 {
            Self.digit(first + index, text: text, integer: integer, fraction: fraction)
        }

        private static func digit(_ position: Int, text: UnsafeRawBufferPointer, integer: Range<Int>, fraction: Range<Int>) -> UInt8 {
            if position < integer.count { return text[integer.lowerBound + position] }
            let inFraction = position - integer.count
            if inFraction < fraction.count { return text[fraction.lowerBound + inFraction] }
            return UInt8(ascii: "0")
        }
    }
}
