extension ConnectRecord {
    /// Moves the fields of the key or value out, so a transform holds the only
    /// reference and changes them in place (put them back with ``put(_:_:)``).
    ///
    /// - Returns: `nil` for a null key or value (a tombstone passes unchanged).
    /// - Throws: ``ConversionError/unsupported(_:)`` with `refusal` and the kind found,
    ///   leaving the record as it was, when the key or value is not an object.
    mutating func takeFields(_ part: InsertField.Part, refusal: @autoclosure () -> String) throws -> [ConnectField]? {
        // `consume`, so the fields returned hold the only reference to their array.
        let target = take(part)
        switch consume target {
        case .null:
            return nil
        case .object(let fields):
            return fields
        case let other:
            put(other, part)
            throw ConversionError.unsupported("\(refusal()); got a \(other.kindName)")
        }
    }
}
