import Foundation

extension TimestampPattern {
    /// Reads `text` written in this pattern as a UTC time, the way
    /// `java.text.SimpleDateFormat.parse` does for the letters ``TimestampPattern`` knows:
    /// a number next to another number (`yyyyMMdd`) takes as many digits as its letters,
    /// otherwise all the digits there are; values out of range roll over (month 13 is
    /// January of the next year, Java's lenient default); a two-digit `yy` year falls in
    /// the 100 years that start 80 years ago; text after the pattern is ignored.
    ///
    /// - Returns: milliseconds since the epoch, or `nil` when `text` does not match (or
    ///   names a time too far away for 64-bit milliseconds).
    package func parse(_ text: String) -> Int64? {
        var rest = Array(text.utf8)[...]
        var year = 1970
        var month = 1
        var day = 1
        var hour = 0
        var minute = 0
        var second = 0
        var millisecond = 0
        for (index, piece) in pieces.enumerated() {
            if case .literal(let literal) = piece {
                guard rest.starts(with: literal.utf8) else { return nil }
                rest.removeFirst(literal.utf8.count)
                continue
            }
            let nextIsNumber = index + 1 < pieces.count && pieces[index + 1].isNumber
            let width = piece.width
            let digits = rest.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
                .prefix(nextIsNumber ? width : 9)  // 9 digits: no arithmetic below can overflow
            guard !digits.isEmpty else { return nil }
            rest.removeFirst(digits.count)
            let number = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            switch piece {
            case .year:
                year = width <= 2 && digits.count == 2 ? Self.twoDigitYear(number) : number
            case .month: month = number
            case .day: day = number
            case .hour: hour = number
            case .minute: minute = number
            case .second: second = number
            case .millisecond: millisecond = number
            case .literal: break
            }
        }
        let monthsFromJanuary = month - 1
        let normalisedYear = year + Self.floorDivide(monthsFromJanuary, 12)
        let normalisedMonth = monthsFromJanuary - Self.floorDivide(monthsFromJanuary, 12) * 12 + 1
        let days = CivilDate.daysSinceEpoch(year: normalisedYear, month: normalisedMonth, day: 1) + Int64(day - 1)
        let millisecondOfDay = ((Int64(hour) * 60 + Int64(minute)) * 60 + Int64(second)) * 1000 + Int64(millisecond)
        let (dayMilliseconds, overflow) = days.multipliedReportingOverflow(by: 86_400_000)
        let (total, overflowAgain) = dayMilliseconds.addingReportingOverflow(millisecondOfDay)
        return overflow || overflowAgain ? nil : total
    }

    /// The year a two-digit `yy` means: the one in the century that starts 80 years
    /// before now (Java's default for `SimpleDateFormat`).
    static func twoDigitYear(_ twoDigits: Int) -> Int {
        let start = centuryStartYear
        let candidate = start / 100 * 100 + twoDigits
        return candidate < start ? candidate + 100 : candidate
    }

    /// 80 years before the year this process started in (read once, not per record).
    private static let centuryStartYear: Int = {
        let days = Int64((Date().timeIntervalSince1970 / 86_400).rounded(.down))
        return CivilDate(daysSinceEpoch: days).year - 80
    }()

    private static func floorDivide(_ a: Int, _ b: Int) -> Int {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}

extension TimestampPattern.Piece {
    /// Whether the piece is written as digits.
    var isNumber: Bool {
        if case .literal = self { return false }
        return true
    }

    /// The number of pattern letters (0 for literal text).
    var width: Int {
        switch self {
        case .year(let width), .month(let width), .day(let width), .hour(let width), .minute(let width),
            .second(let width), .millisecond(let width):
            return width
        case .literal: return 0
        }
    }
}

extension CivilDate {
    /// Days since 1970-01-01 of a day of the proleptic Gregorian calendar (the inverse
    /// of ``init(daysSinceEpoch:)``; `month` is 1...12, `day` may run past the month).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let monthFromMarch = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return Int64(era) * 146_097 + Int64(dayOfEra) - 719_468
    }
}
