import Foundation

/// Kafka Connect's `TimestampConverter$Key` and `$Value`: converts a timestamp between
/// text, Unix time and Connect's `Date`, `Time` and `Timestamp`, for one field of an
/// object (`field`) or the whole key or value (no `field`).
///
/// ```properties
/// transforms.ts.type=org.apache.kafka.connect.transforms.TimestampConverter$Value
/// transforms.ts.field=created
/// transforms.ts.target.type=string
/// transforms.ts.format=yyyy-MM-dd'T'HH:mm:ss.SSS
/// ```
///
/// Sluice's values have no schema, so Connect's logical types are held as the numbers
/// Kafka's `JsonConverter` writes for them: `Timestamp` is milliseconds since the epoch,
/// `Date` days since the epoch, `Time` milliseconds since midnight, all UTC. On the whole
/// key or value the record also says which type it is (``ConnectRecord/valueSchema``),
/// so `JsonConverter` with `schemas.enable=true` writes Kafka's schema for it
/// (`{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1}`)
/// and a following `TimestampConverter` reads it back as that type. In a field, the
/// number travels as an `int64` without a name, and an integer is read as Unix time.
///
/// Input is read by its kind, as Kafka does without a schema: text with `format`, an
/// integer as Unix time in `unix.precision`; anything else fails the record. A null
/// timestamp stays null; a field the object lacks becomes a null field.
public struct TimestampConverter: Transformation {
    /// What the timestamp becomes (`target.type`, Kafka's names).
    public enum Target: String, Sendable, CaseIterable {
        case string, unix
        case date = "Date"
        case time = "Time"
        case timestamp = "Timestamp"

        /// The logical type a whole key or value gets, or `nil` for text and Unix time.
        var schema: SchemaMetadata? {
            switch self {
            case .string, .unix: return nil
            case .date: return .date
            case .time: return .time
            case .timestamp: return .timestamp
            }
        }
    }

    /// The unit of Unix time (`unix.precision`), read and written.
    public enum UnixPrecision: String, Sendable, CaseIterable {
        case seconds, milliseconds, microseconds, nanoseconds

        /// Milliseconds in one unit (for seconds), or units in one millisecond (the others).
        fileprivate func milliseconds(_ units: Int64) -> Int64 {
            switch self {
            case .seconds: return Self.saturating(units, times: 1000)
            case .milliseconds: return units
            case .microseconds: return units / 1000
            case .nanoseconds: return units / 1_000_000
            }
        }

        fileprivate func units(_ milliseconds: Int64) -> Int64 {
            switch self {
            case .seconds: return milliseconds / 1000
            case .milliseconds: return milliseconds
            case .microseconds: return Self.saturating(milliseconds, times: 1000)
            case .nanoseconds: return Self.saturating(milliseconds, times: 1_000_000)
            }
        }

        /// Java's `TimeUnit` conversions saturate rather than overflow.
        private static func saturating(_ value: Int64, times factor: Int64) -> Int64 {
            let (product, overflow) = value.multipliedReportingOverflow(by: factor)
            return overflow ? (value < 0 ? .min : .max) : product
        }
    }

    /// Whether the key or the value holds the timestamp.
    public var part: InsertField.Part
    /// The field holding the timestamp, or `nil` for the whole key or value (`field`).
    public var field: String?
    /// `target.type`.
    public var target: Target
    /// `format`: how text is read and (for `target.type=string`) written.
    package var format: TimestampPattern?
    /// `format` as written, for error messages.
    public var formatText: String
    /// `unix.precision`.
    public var precision: UnixPrecision

    private static let millisecondsPerDay: Int64 = 86_400_000

    /// Creates the transform.
    /// - Throws: ``RuntimeError/invalidConfig(name:value:reason:)`` when `target` is
    ///   `string` without a `format`, or `format` is not a pattern Sluice reads.
    public init(
        part: InsertField.Part, field: String?, target: Target, format: String?,
        precision: UnixPrecision = .milliseconds
    ) throws {
        self.part = part
        self.field = field.flatMap { $0.isEmpty ? nil : $0 }
        self.target = target
        self.precision = precision
        let pattern = (format ?? "").trimmingCharacters(in: .whitespaces)
        formatText = pattern
        if pattern.isEmpty {
            guard target != .string else {
                throw RuntimeError.invalidConfig(
                    name: "format", value: "",
                    reason: "TimestampConverter requires format option to be specified when using string timestamps")
            }
            self.format = nil
        } else {
            do {
                self.format = try TimestampPattern(pattern)
            } catch let RuntimeError.invalidConfig(_, _, reason) {
                throw RuntimeError.invalidConfig(name: "format", value: pattern, reason: reason)
            }
        }
    }

    public func apply(_ record: inout ConnectRecord) throws -> Bool {
        guard let field else {
            let converted = try convert(part == .value ? record.value : record.key, logical: record.schema(part))
            record.put(converted, part)
            if converted != .null { record.setSchema(target.schema, part) }
            return true
        }
        let refusal = "TimestampConverter with field \(field) only works on object \(part == .key ? "keys" : "values")"
        guard var fields = try record.takeFields(part, refusal: refusal) else { return true }
        if let index = fields.firstIndex(where: { $0.name == field }) {
            do {
                fields[index].value = try convert(fields[index].value, logical: nil)
            } catch {
                record.put(.object(fields), part)
                throw error
            }
        } else {
            fields.append(ConnectField(field, .null))
        }
        record.put(.object(fields), part)
        return true
    }

    /// `value` converted to ``target``; `logical` is the type a whole key or value was given.
    func convert(_ value: ConnectValue, logical: SchemaMetadata?) throws -> ConnectValue {
        let milliseconds: Int64
        switch value {
        case .null:
            return .null
        case .string(let text):
            guard let format else {
                throw ConversionError.unsupported(
                    "TimestampConverter reads a string timestamp with format, which is not set; got \"\(text)\"")
            }
            guard let parsed = format.parse(text) else {
                throw ConversionError.malformed(
                    "Could not parse timestamp: value (\(text)) does not match pattern (\(formatText))")
            }
            milliseconds = parsed
        case .int(let number):
            if logical == .date {
                let (product, overflow) = number.multipliedReportingOverflow(by: Self.millisecondsPerDay)
                guard !overflow else {
                    throw ConversionError.unsupported("TimestampConverter: the Date \(number) (days) is out of range")
                }
                milliseconds = product
            } else if logical == .time || logical == .timestamp {
                milliseconds = number
            } else {
                milliseconds = precision.milliseconds(number)
            }
        default:
            throw ConversionError.unsupported(
                "TimestampConverter does not support \(value.kindName) values as timestamps (text or an integer)")
        }
        switch target {
        case .string: return .string(format?.format(epochMilliseconds: milliseconds) ?? "")
        case .unix: return .int(precision.units(milliseconds))
        case .timestamp: return .int(milliseconds)
        case .date: return .int(Self.floorDivide(milliseconds, Self.millisecondsPerDay))
        case .time:
            return .int(
                milliseconds - Self.floorDivide(milliseconds, Self.millisecondsPerDay) * Self.millisecondsPerDay)
        }
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return a % b < 0 ? quotient - 1 : quotient
    }
}
