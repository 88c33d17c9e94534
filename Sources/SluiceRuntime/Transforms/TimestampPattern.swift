/// A `java.text.SimpleDateFormat` pattern for UTC times, as `TimestampRouter`'s
/// `timestamp.format` writes it: `yyyy`/`yy`, `MM`/`M`, `dd`/`d`, `HH`/`H`, `mm`/`m`,
/// `ss`/`s`, `SSS`, literal text in `'quotes'` (`''` for a quote) and any non-letter.
/// Formatting does integer arithmetic only (no `Foundation` formatter per record).
package struct TimestampPattern: Sendable, Equatable {
    package enum Piece: Sendable, Equatable {
        case year(width: Int)
        case month(width: Int)
        case day(width: Int)
        case hour(width: Int)
        case minute(width: Int)
        case second(width: Int)
        case millisecond(width: Int)
        case literal(String)
    }

    package let pieces: [Piece]

    /// Reads `pattern`.
    /// - Throws: ``RuntimeError/invalidConfig(name:value:reason:)`` for a letter it does
    ///   not know (month and day names, time zones, ...) or an unclosed quote.
    package init(_ pattern: String) throws {
        func refuse(_ reason: String) -> RuntimeError {
            .invalidConfig(name: "timestamp.format", value: pattern, reason: reason)
        }
        var pieces: [Piece] = []
        var characters = Array(pattern)[...]
        while let first = characters.first {
            if first == "'" {
                characters.removeFirst()
                var text = ""
                while true {
                    guard let next = characters.popFirst() else { throw refuse("a quote is not closed") }
                    if next == "'" {
                        if characters.first == "'" {
                            characters.removeFirst()
                            text.append("'")
                        } else {
                            break
                        }
                    } else {
                        text.append(next)
                    }
                }
                pieces.append(.literal(text.isEmpty ? "'" : text))
                continue
            }
            let run = characters.prefix { $0 == first }
            characters.removeFirst(run.count)
            let width = run.count
            switch first {
            case "y": pieces.append(.year(width: width))
            case "M" where width <= 2: pieces.append(.month(width: width))
            case "d": pieces.append(.day(width: width))
            case "H": pieces.append(.hour(width: width))
            case "m": pieces.append(.minute(width: width))
            case "s": pieces.append(.second(width: width))
            case "S": pieces.append(.millisecond(width: width))
            case let letter where letter.isLetter:
                throw refuse("'\(String(run))' is not supported; use y, M, d, H, m, s, S and quoted text")
            default: pieces.append(.literal(String(run)))
            }
        }
        self.pieces = pieces
    }

    /// `epochMilliseconds` written in UTC.
    package func format(epochMilliseconds: Int64) -> String {
        let millisecond = Int(((epochMilliseconds % 1000) + 1000) % 1000)
        let seconds = (epochMilliseconds - Int64(millisecond)) / 1000
        let secondOfDay = Int(((seconds % 86_400) + 86_400) % 86_400)
        let date = CivilDate(daysSinceEpoch: (seconds - Int64(secondOfDay)) / 86_400)
        var text = ""
        for piece in pieces {
            switch piece {
            case .year(let width): text += width == 2 ? Self.padded(date.year % 100, 2) : Self.padded(date.year, width)
            case .month(let width): text += Self.padded(date.month, width)
            case .day(let width): text += Self.padded(date.day, width)
            case .hour(let width): text += Self.padded(secondOfDay / 3600, width)
            case .minute(let width): text += Self.padded(secondOfDay / 60 % 60, width)
            case .second(let width): text += Self.padded(secondOfDay % 60, width)
            case .millisecond(let width): text += Self.padded(millisecond, width)
            case .literal(let literal): text += literal
            }
        }
        return text
    }

    private static func padded(_ number: Int, _ width: Int) -> String {
        let digits = String(abs(number))
        let padding = String(repeating: "0", count: max(0, width - digits.count))
        return (number < 0 ? "-" : "") + padding + digits
    }
}

/// A day of the proleptic Gregorian calendar, from days since 1970-01-01 (the
/// days-to-civil algorithm over 400-year eras).
struct CivilDate: Equatable {
    var year: Int
    var month: Int
    var day: Int

    init(daysSinceEpoch: Int64) {
        let shifted = Int(daysSinceEpoch) + 719_468  // days from 0000-03-01
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }
}
