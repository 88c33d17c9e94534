import SluiceRuntime

/// How one result column is written into Kafka Connect JSON: its schema text and the
/// way its row text becomes the payload value.
struct ConnectFieldPlan {
    enum Kind: Equatable {
        case boolean
        /// Digits copied as they are.
        case integer
        case float
        /// Connect `Decimal`: base64 of the unscaled value at `scale`.
        case decimal(scale: Int)
        case string
        case bytes
        /// Days since 1970-01-01.
        case date
        /// Milliseconds since midnight.
        case time
        /// Milliseconds since the epoch.
        case timestamp
    }

    let name: String
    let kind: Kind
    let optional: Bool
    /// `"name":` as JSON.
    let label: [UInt8]
    /// The field's schema object (without the enclosing struct).
    let schema: String

    /// The plan for `column` of `table`.
    /// - Throws: ``SQLError/unmappedType(table:column:type:)``.
    init(column: SQLColumn, table: String, numericMapping: NumericMapping) throws {
        name = column.name
        optional = column.nullable
        var label: [UInt8] = []
        JSONText.writeString(name, into: &label)
        label.append(UInt8(ascii: ":"))
        self.label = label
        var logical: (name: String, parameters: [(String, String)])?
        let type: String
        switch column.type {
        case .boolean: (kind, type) = (.boolean, "boolean")
        case .int8: (kind, type) = (.integer, "int8")
        case .int16: (kind, type) = (.integer, "int16")
        case .int32: (kind, type) = (.integer, "int32")
        case .int64: (kind, type) = (.integer, "int64")
        case .float32: (kind, type) = (.float, "float32")
        case .float64: (kind, type) = (.float, "float64")
        case .string: (kind, type) = (.string, "string")
        case .bytes: (kind, type) = (.bytes, "bytes")
        case .date: (kind, type, logical) = (.date, "int32", ("org.apache.kafka.connect.data.Date", []))
        case .time: (kind, type, logical) = (.time, "int32", ("org.apache.kafka.connect.data.Time", []))
        case .timestamp: (kind, type, logical) = (.timestamp, "int64", ("org.apache.kafka.connect.data.Timestamp", []))
        case .decimal(let precision, let scale):
            let known = precision > 0
            let integers = numericMapping != .none && scale == 0 && known && precision <= 18
            let doubles = (numericMapping == .bestFit && scale > 0 && known && precision <= 15)
                || (numericMapping == .bestFitEagerDouble && (!known || (scale > 0 && precision <= 15) || precision > 18))
            if integers {
                kind = .integer
                type = precision < 3 ? "int8" : precision < 5 ? "int16" : precision < 10 ? "int32" : "int64"
            } else if doubles {
                (kind, type) = (.float, "float64")
            } else {
                (kind, type) = (.decimal(scale: scale), "bytes")
                var parameters = [("scale", String(scale))]
                if known { parameters.append(("connect.decimal.precision", String(precision))) }
                logical = ("org.apache.kafka.connect.data.Decimal", parameters)
            }
        case .unsupported:
            throw SQLError.unmappedType(table: table, column: column.name, type: column.typeName)
        }
        var schema = #"{"type":"\#(type)","optional":\#(optional)"#
        if let logical {
            schema += #","name":"\#(logical.name)","version":1"#
            if !logical.parameters.isEmpty {
                schema += #","parameters":{"# + logical.parameters.map { #""\#($0.0)":"\#($0.1)""# }.joined(separator: ",") + "}"
            }
        }
        var fieldName: [UInt8] = []
        JSONText.writeString(name, into: &fieldName)
        schema += #","field":"# + String(decoding: fieldName, as: UTF8.self) + "}"
        self.schema = schema
    }
}
