import Foundation

/// A type that Kafka Connect's `Cast` converts to, by its Connect schema name.
///
/// Sluice keeps every integer as `Int64` and every real as `Double`, so a cast to a
/// narrow type gives that type's value in the wide one: `int8` of `300` is `44` (Java's
/// narrowing), `float32` of `0.1` is the `Float` nearest to it.
public enum CastType: String, Sendable, CaseIterable {
    case int8, int16, int32, int64, float32, float64, boolean, string

    /// `value` as this type; `null` stays `null`.
    /// - Throws: ``ConversionError/unsupported(_:)`` for arrays and objects, and for
    ///   text that does not read as this type.
    public func cast(_ value: ConnectValue) throws -> ConnectValue {
        switch value {
        case .null: return .null
        case .int(let number): return fromInteger(number)
        case .double(let number): return fromReal(number)
        case .boolean(let flag):
            return self == .boolean
                ? .boolean(flag) : self == .string ? .string(String(flag)) : fromInteger(flag ? 1 : 0)
        case .string(let text): return try fromText(text)
        case .bytes(let bytes) where self == .string: return .string(Data(bytes).base64EncodedString())
        default: throw ConversionError.unsupported("Cast cannot cast a \(value.kindName) to \(rawValue)")
        }
    }

    private func fromInteger(_ number: Int64) -> ConnectValue {
        switch self {
        case .int8: return .int(Int64(Int8(truncatingIfNeeded: number)))
        case .int16: return .int(Int64(Int16(truncatingIfNeeded: number)))
        case .int32: return .int(Int64(Int32(truncatingIfNeeded: number)))
        case .int64: return .int(number)
        case .float32: return .double(Double(Float(number)))
        case .float64: return .double(Double(number))
        case .boolean: return .boolean(number != 0)
        case .string: return .string(String(number))
        }
    }

    private func fromReal(_ number: Double) -> ConnectValue {
        switch self {
        case .int8, .int16, .int32: return fromInteger(Int64(Self.javaInt32(number)))
        case .int64: return .int(Self.javaInt64(number))
        case .float32: return .double(Double(Float(number)))
        case .float64: return .double(number)
        case .boolean: return .boolean(number != 0)
        case .string: return .string(String(number))
        }
    }

    private func fromText(_ text: String) throws -> ConnectValue {
        let parsed: ConnectValue?
        switch self {
        case .int8: parsed = Int8(text).map { .int(Int64($0)) }
        case .int16: parsed = Int16(text).map { .int(Int64($0)) }
        case .int32: parsed = Int32(text).map { .int(Int64($0)) }
        case .int64: parsed = Int64(text).map { .int($0) }
        case .float32: parsed = Float(text).map { .double(Double($0)) }
        case .float64: parsed = Double(text).map { .double($0) }
        case .boolean: parsed = .boolean(text.lowercased() == "true")  // Java's Boolean.parseBoolean
        case .string: parsed = .string(text)
        }
        guard let parsed else { throw ConversionError.unsupported("Cast cannot read '\(text)' as \(rawValue)") }
        return parsed
    }

    /// Java's `(int) d`: rounds toward zero, saturates, and NaN is 0.
    private static func javaInt32(_ number: Double) -> Int32 {
        number.isNaN ? 0 : number >= Double(Int32.max) ? .max : number <= Double(Int32.min) ? .min : Int32(number)
    }

    /// Java's `(long) d`.
    private static func javaInt64(_ number: Double) -> Int64 {
        number.isNaN ? 0 : number >= 0x1p63 ? .max : number <= -0x1p63 ? .min : Int64(number)
    }
}
