import SluiceCore
import SluiceRuntime

/// Writes result rows as the connector's converters would write Kafka Connect
/// structs: the value as JsonConverter JSON (with the `{"schema", "payload"}`
/// envelope when schemas are enabled), the key from the primary key's columns
/// (JsonConverter, or StringConverter's text). The schemas are made once per result;
/// each row is written straight into the batch's arena (``ArenaWriter``).
struct ConnectRowEncoder {
    /// How the key is written.
    enum KeyFormat: Equatable {
        case json(schemas: Bool)
        /// StringConverter: one column's text, or `Struct{a=1,b=x}` for several.
        case string
    }

    private let fields: [ConnectFieldPlan]
    /// What each row's write needs of each field, without references: reading one copies
    /// no strings or arrays (the plans' do, a retain and release each, per field and row).
    private let codes: [FieldCode]
    /// Every field's `"name":`, one after the other; `codes[i].label` is field i's range.
    private let labels: [UInt8]
    private let keyFields: [Int]
    private let keyFormat: KeyFormat
    private let table: String
    private let zoneOffset: Int
    /// `{"schema":{...},"payload":` or empty.
    private let valuePrefix: [UInt8]
    private let keyPrefix: [UInt8]
    /// Whether decimals are written as JSON numbers (`decimal.format=NUMERIC`) in the
    /// value and in the key, instead of base64.
    private let numericDecimals: (key: Bool, value: Bool)
    private var decimal = DecimalBytes()

    /// An encoder for rows of `columns` from `table` (the struct's schema name),
    /// keyed by the columns at `keyColumns` (none: null keys).
    /// - Throws: ``SQLError/unmappedType(table:column:type:)`` for a column without a mapping.
    init(
        table: String, columns: [SQLColumn], keyColumns: [Int], valueSchemas: Bool, keyFormat: KeyFormat,
        numericMapping: NumericMapping, zoneOffsetSeconds: Int, numericDecimals: (key: Bool, value: Bool) = (false, false)
    ) throws {
        self.table = table
        self.numericDecimals = numericDecimals
        let plans = try columns.map { try ConnectFieldPlan(column: $0, table: table, numericMapping: numericMapping) }
        fields = plans
        var labels: [UInt8] = []
        codes = plans.map { plan in
            let start = labels.count
            labels.append(contentsOf: plan.label)
            return FieldCode(kind: plan.kind, optional: plan.optional, label: start..<labels.count)
        }
        self.labels = labels
        keyFields = keyColumns
        self.keyFormat = keyFormat
        zoneOffset = zoneOffsetSeconds
        func structSchema(_ plans: [ConnectFieldPlan], name: String) -> String {
            var quoted: [UInt8] = []
            JSONText.writeString(name, into: &quoted)
            return #"{"type":"struct","fields":["# + plans.map(\.schema).joined(separator: ",") + #"],"optional":false,"name":"#
                + String(decoding: quoted, as: UTF8.self) + "}"
        }
        valuePrefix = valueSchemas ? Array((#"{"schema":"# + structSchema(plans, name: table) + #","payload":"#).utf8) : []
        if case .json(true) = keyFormat, !keyColumns.isEmpty {
            keyPrefix = Array((#"{"schema":"# + structSchema(keyColumns.map { plans[$0] }, name: table + ".Key") + #","payload":"#).utf8)
        } else {
            keyPrefix = []
        }
    }

    /// Whether rows have keys.
    var hasKey: Bool { !keyFields.isEmpty }

    /// Writes `row`'s key and value straight into `batch` as one record (no copy).
    /// - Returns: false when `batch` has no room for it (nothing was appended).
    /// - Throws: ``SQLError/badValue(table:column:reason:)`` for text its column type cannot hold.
    mutating func append(_ row: any SQLRow, to batch: RecordBatch) throws -> Bool {
        try batch.append { writer in
            let keyLength = try writeKey(row, into: &writer)
            let valueStart = writer.count
            try writeValue(row, into: &writer)
            return (keyLength, writer.count - valueStart)
        }
    }

    /// Writes `row`'s value.
    /// - Throws: ``SQLError/badValue(table:column:reason:)`` for text its column type cannot hold.
    mutating func writeValue(_ row: any SQLRow, into output: inout ArenaWriter) throws {
        valuePrefix.withUnsafeBytes { output.append($0) }
        output.append(UInt8(ascii: "{"))
        for index in codes.indices {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            appendLabel(index, to: &output)
            try write(index, of: row, into: &output, numericDecimals: numericDecimals.value)
        }
        output.append(UInt8(ascii: "}"))
        if !valuePrefix.isEmpty { output.append(UInt8(ascii: "}")) }
    }

    /// Writes `row`'s key; returns its length, or -1 (a null key) when rows have no key.
    mutating func writeKey(_ row: any SQLRow, into key: inout ArenaWriter) throws -> Int {
        guard hasKey else { return -1 }
        let start = key.count
        switch keyFormat {
        case .json:
            keyPrefix.withUnsafeBytes { key.append($0) }
            key.append(UInt8(ascii: "{"))
            for (position, index) in keyFields.enumerated() {
                if position > 0 { key.append(UInt8(ascii: ",")) }
                appendLabel(index, to: &key)
                try write(index, of: row, into: &key, numericDecimals: numericDecimals.key)
            }
            key.append(UInt8(ascii: "}"))
            if !keyPrefix.isEmpty { key.append(UInt8(ascii: "}")) }
        case .string:
            if keyFields.count == 1, let text = row.bytes(keyFields[0]) {
                key.append(text)
                return key.count - start
            }
            key.append("Struct{")
            for (position, index) in keyFields.enumerated() {
                if position > 0 { key.append(UInt8(ascii: ",")) }
                var name = fields[index].name
                name.withUTF8 { key.append(UnsafeRawBufferPointer($0)) }
                key.append(UInt8(ascii: "="))
                if let text = row.bytes(index) { key.append(text) } else { key.append("null") }
            }
            key.append(UInt8(ascii: "}"))
        }
        return key.count - start
    }

    private func appendLabel(_ index: Int, to output: inout ArenaWriter) {
        let range = codes[index].label
        labels.withUnsafeBytes { output.append(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    private mutating func write(_ index: Int, of row: any SQLRow, into output: inout ArenaWriter, numericDecimals: Bool) throws {
        let field = codes[index]
        guard let text = row.bytes(index) else {
            guard field.optional else {
                throw SQLError.badValue(table: table, column: fields[index].name, reason: "NULL in a column the database says is NOT NULL")
            }
            output.append("null")
            return
        }
        func bad(_ what: String) -> SQLError {
            SQLError.badValue(table: table, column: fields[index].name, reason: "'\(String(decoding: text.prefix(40), as: UTF8.self))' is not \(what)")
        }
        switch field.kind {
        case .boolean:
            switch text.count > 0 ? text[0] : 0 {
            case UInt8(ascii: "1"), UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "y"), UInt8(ascii: "Y"): output.append("true")
            case UInt8(ascii: "0"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "n"), UInt8(ascii: "N"): output.append("false")
            default: throw bad("a boolean")
            }
        case .integer:
            guard Self.isInteger(text) else { throw bad("an integer") }
            output.append(text)
        case .float:
            guard Self.isJSONNumber(text) else { throw bad("a finite number") }
            output.append(text)
        case .decimal(let scale) where numericDecimals:
            guard DecimalNumberText.append(text, scale: scale, to: &output) else { throw bad("a decimal of scale \(scale)") }
        case .decimal(let scale):
            output.append(UInt8(ascii: "\""))
            guard decimal.withBytes(text: text, scale: scale, { Base64Text.append($0, to: &output) }) else {
                throw bad("a decimal of scale \(scale)")
            }
            output.append(UInt8(ascii: "\""))
        case .string:
            JSONText.writeString(text, into: &output)
        case .bytes:
            output.append(UInt8(ascii: "\""))
            Base64Text.append(text, to: &output)
            output.append(UInt8(ascii: "\""))
        case .date:
            guard let stamp = SQLTimestamp(text: text) else { throw bad("a date") }
            ASCIIDecimal.append(stamp.seconds / 86_400, to: &output)
        case .time:
            guard let milliseconds = Self.timeOfDay(text) else { throw bad("a time of day") }
            ASCIIDecimal.append(milliseconds, to: &output)
        case .timestamp:
            guard let stamp = SQLTimestamp(text: text, offsetSeconds: zoneOffset) else { throw bad("a timestamp") }
            ASCIIDecimal.append(stamp.milliseconds, to: &output)
        }
    }

    /// `-?[0-9]+`: the text an integer column's value is written as (a fraction, even
    /// of zeros, is refused: the field's schema says integer).
    static func isInteger(_ text: UnsafeRawBufferPointer) -> Bool {
        var index = !text.isEmpty && text[0] == UInt8(ascii: "-") ? 1 : 0
        guard index < text.count else { return false }
        while index < text.count {
            guard text[index] &- UInt8(ascii: "0") < 10 else { return false }
            index &+= 1
        }
        return true
    }

    /// A JSON number: sign, digits, fraction, exponent (no NaN, no Infinity).
    static func isJSONNumber(_ text: UnsafeRawBufferPointer) -> Bool {
        guard !text.isEmpty else { return false }
        var sawDigit = false
        for byte in text {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): break
            default: return false
            }
        }
        return sawDigit && text[0] != UInt8(ascii: ".") && text[text.count - 1] != UInt8(ascii: ".")
    }

    /// `HH:MM:SS[.fff…]` as milliseconds since midnight.
    static func timeOfDay(_ text: UnsafeRawBufferPointer) -> Int64? {
        guard text.count >= 8, text[2] == 58, text[5] == 58 else { return nil }
        func two(_ at: Int) -> Int64? {
            let a = text[at], b = text[at + 1]
            guard (48...57).contains(a), (48...57).contains(b) else { return nil }
            return Int64(a - 48) * 10 + Int64(b - 48)
        }
        guard let h = two(0), let m = two(3), let s = two(6) else { return nil }
        var milliseconds: Int64 = 0
        if text.count > 9, text[8] == 46 {
            var scale: Int64 = 100
            for byte in text[9...] {
                guard (48...57).contains(byte) else { return nil }
                milliseconds += Int64(byte - 48) * scale
                scale /= 10
            }
        } else if text.count != 8 {
            return nil
        }
        return (h * 3600 + m * 60 + s) * 1000 + milliseconds
    }
}

/// The part of a ``ConnectFieldPlan`` each row's write reads: plain values only.
private struct FieldCode {
    let kind: ConnectFieldPlan.Kind
    let optional: Bool
    /// Where the field's `"name":` is in the encoder's `labels`.
    let label: Range<Int>
}
