/// A point in time as seconds and nanoseconds since 1970-01-01 00:00:00 UTC, read
/// from and written as the text databases use (`YYYY-MM-DD HH:MM:SS.ffffff`).
///
/// The text has no zone: it is read and written in a fixed offset from UTC
/// (`db.timezone`, UTC by default).
public struct SQLTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Whole seconds since the epoch (negative before it).
    public var seconds: Int64
    /// Nanoseconds within the second, `0..<1_000_000_000`.
    public var nanos: Int32

    /// A timestamp.
    public init(seconds: Int64, nanos: Int32 = 0) {
        self.seconds = seconds
        self.nanos = nanos
    }

    /// The timestamp `milliseconds` since the epoch.
    public init(milliseconds: Int64) {
        let (q, r) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        self.init(seconds: r < 0 ? q - 1 : q, nanos: Int32((r < 0 ? r + 1000 : r) * 1_000_000))
    }

    /// Milliseconds since the epoch (Kafka Connect's `Timestamp` and the offset's `timestamp`).
    public var milliseconds: Int64 { seconds * 1000 + Int64(nanos / 1_000_000) }

    public static func < (a: SQLTimestamp, b: SQLTimestamp) -> Bool { (a.seconds, a.nanos) < (b.seconds, b.nanos) }

    /// This timestamp moved by `milliseconds`.
    public func adding(milliseconds: Int64) -> SQLTimestamp {
        var total = Int64(nanos) + (milliseconds % 1000) * 1_000_000
        var seconds = seconds + milliseconds / 1000
        if total < 0 { total += 1_000_000_000; seconds -= 1 }
        if total >= 1_000_000_000 { total -= 1_000_000_000; seconds += 1 }
        return SQLTimestamp(seconds: seconds, nanos: Int32(total))
    }

    /// Reads `YYYY-MM-DD[ T]HH:MM:SS[.f…]` (up to nine fraction digits; a trailing
    /// `Z` or `+HH[:MM]` offset is honoured), or a date alone, as a time in a zone
    /// `offsetSeconds` east of UTC. Nil when the text is not such a timestamp.
    public init?(text: UnsafeRawBufferPointer, offsetSeconds: Int = 0) {
        var at = 0
        func digits(_ count: Int) -> Int? {
            guard at + count <= text.count else { return nil }
            var value = 0
            for i in at..<(at + count) {
                let byte = text[i]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            at += count
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard at < text.count, text[at] == byte else { return false }
            at += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var hour = 0, minute = 0, second = 0, nanos = 0
        if at < text.count && (text[at] == 32 || text[at] == 84) {
            at += 1
            guard let h = digits(2), expect(58), let m = digits(2), expect(58), let s = digits(2), h < 24, m < 60, s < 61 else { return nil }
            (hour, minute, second) = (h, m, s)
            if expect(46) {
                var scale = 100_000_000
                var count = 0
                while at < text.count, text[at] >= 48 && text[at] <= 57 {
                    if count < 9 { nanos += Int(text[at] - 48) * scale }
                    scale /= 10
                    count += 1
                    at += 1
                }
                guard count > 0 else { return nil }
            }
        }
        var offset = offsetSeconds
        if at < text.count {
            if expect(90) {
                offset = 0
            } else if text[at] == 43 || text[at] == 45 {
                let sign = text[at] == 45 ? -1 : 1
                at += 1
                guard let hours = digits(2) else { return nil }
                var minutes = 0
                if expect(58) || (at < text.count) {
                    guard let m = digits(2) else { return nil }
                    minutes = m
                }
                offset = sign * (hours * 3600 + minutes * 60)
            }
        }
        guard at == text.count else { return nil }
        let days = Self.days(year: year, month: month, day: day)
        seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
        self.nanos = Int32(nanos)
    }

    /// Reads `text` (see ``init(text:offsetSeconds:)``).
    public init?(_ text: String, offsetSeconds: Int = 0) {
        var text = text
        guard let parsed = text.withUTF8({ SQLTimestamp(text: UnsafeRawBufferPointer($0), offsetSeconds: offsetSeconds) }) else { return nil }
        self = parsed
    }

    /// `YYYY-MM-DD HH:MM:SS` with `fractionDigits` digits of the second (0...9), in
    /// a zone `offsetSeconds` east of UTC.
    public func text(fractionDigits: Int = 6, offsetSeconds: Int = 0) -> String {
        let local = seconds + Int64(offsetSeconds)
        let (dayCount, secondOfDay) = local.quotientAndRemainder(dividingBy: 86_400)
        let day = secondOfDay < 0 ? dayCount - 1 : dayCount
        let second = secondOfDay < 0 ? secondOfDay + 86_400 : secondOfDay
        let (y, m, d) = Self.civil(days: Int(day))
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var result = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2)) \(pad(Int(second / 3600), 2)):\(pad(Int(second / 60 % 60), 2)):\(pad(Int(second % 60), 2))"
        if fractionDigits > 0 {
            var fraction = Int(nanos)
            for _ in 0..<(9 - min(fractionDigits, 9)) { fraction /= 10 }
            result += "." + pad(fraction, min(fractionDigits, 9))
        }
        return result
    }

    public var description: String { text(fractionDigits: 9) + "Z" }

    /// Days from 1970-01-01 to a civil date (proleptic Gregorian).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date `days` after 1970-01-01.
    static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
