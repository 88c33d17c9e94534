#if canImport(Glibc)
import Glibc
#endif

/// One field of a record's top-level JSON object on the splice route: its name and
/// value as spans of the record's own JSON text, or as entries a transform made.
///
/// Plain data (no references), so the field list is reset and rearranged without
/// reference counting. A span with a negative lower bound `-(i + 1)` stands for entry
/// `i` of ``SplicedRecord/givenNames`` or ``SplicedRecord/madeValues``.
struct SplicedField {
    /// The name's bytes in the text, without the quotes (printable ASCII, no escapes).
    var name: Range<Int>
    /// The value's JSON text, already in the form ``JSONText`` writes it.
    var value: Range<Int>

    /// A field whose name and value are spans of the text.
    init(name: Range<Int>, value: Range<Int>) {
        self.name = name
        self.value = value
    }

    @inline(__always) static func made(_ index: Int) -> Range<Int> { (-(index + 1))..<0 }
    @inline(__always) static func madeIndex(_ span: Range<Int>) -> Int? { span.lowerBound < 0 ? -span.lowerBound - 1 : nil }
}

/// A record on the converted path's splice route: instead of parsing its JSON value
/// into a ``ConnectValue`` tree and writing the tree back, the value stays as spans
/// of its text, transforms add, drop and rename top-level fields, and the output is
/// the spans copied plus what the transforms made.
///
/// A record takes this route only when ``JSONFieldScanner`` found its text canonical,
/// so the bytes written are exactly what the tree route writes (tests compare both).
struct SplicedRecord {
    /// Topic, partition and timestamp as transforms see them (key and value are
    /// `.null`: only topic-reading transforms and predicates look at it).
    var meta: ConnectRecord
    /// The value's JSON text; valid while the record is processed.
    let text: UnsafeRawBufferPointer
    /// The top-level fields, in order.
    var fields: [SplicedField]
    /// Names transforms gave (inserted or renamed fields).
    var givenNames: [String] = []
    /// Values transforms made (inserted fields).
    var madeValues: [ConnectValue] = []

    /// Whether `field` is named `name`, by the tree route's rule (`String` equality).
    func isNamed(_ field: SplicedField, _ name: String) -> Bool {
        Self.matches(field, name, nameIsASCII: Self.isASCII(name), text: text, givenNames: givenNames)
    }

    @inline(__always)
    private static func isASCII(_ name: String) -> Bool { name.utf8.allSatisfy { $0 < 0x80 } }

    /// ``isNamed(_:_:)`` without `self`, so that a mutating caller does not copy the
    /// record (and retain everything in it) to ask.
    @inline(__always)
    private static func matches(
        _ field: SplicedField, _ name: String, nameIsASCII: Bool, text: UnsafeRawBufferPointer, givenNames: [String]
    ) -> Bool {
        if let given = SplicedField.madeIndex(field.name) { return givenNames[given] == name }
        let span = field.name
        // Names in the text are plain ASCII; for an ASCII `name` equality is byte
        // equality. A non-ASCII name may still equal one (U+212A KELVIN SIGN is
        // canonically "K"), so it is compared as a String.
        guard nameIsASCII else {
            return String(decoding: UnsafeRawBufferPointer(rebasing: text[span]), as: UTF8.self) == name
        }
        if let equal = name.utf8.withContiguousStorageIfAvailable({ bytes in
            bytes.count == span.count && memcmp(bytes.baseAddress!, text.baseAddress! + span.lowerBound, span.count) == 0
        }) {
            return equal
        }
        return name.utf8.elementsEqual(UnsafeRawBufferPointer(rebasing: text[span]))
    }

    /// The name of `field` as a `String`.
    func name(of field: SplicedField) -> String {
        if let given = SplicedField.madeIndex(field.name) { return givenNames[given] }
        return String(decoding: UnsafeRawBufferPointer(rebasing: text[field.name]), as: UTF8.self)
    }

    /// Gives `fields[index]` a new name (ReplaceField's rename).
    mutating func rename(_ index: Int, to name: String) {
        givenNames.append(name)
        fields[index].name = SplicedField.made(givenNames.count - 1)
    }

    /// Drops every field named `name` and appends `name: value` (InsertField's rule).
    mutating func put(_ name: String, _ value: ConnectValue) {
        let nameIsASCII = Self.isASCII(name)
        let text = self.text
        var kept = 0
        for index in fields.indices {
            let field = fields[index]
            if Self.matches(field, name, nameIsASCII: nameIsASCII, text: text, givenNames: givenNames) { continue }
            fields[kept] = field
            kept += 1
        }
        fields.removeSubrange(kept...)
        givenNames.append(name)
        madeValues.append(value)
        fields.append(SplicedField(name: SplicedField.made(givenNames.count - 1), value: SplicedField.made(madeValues.count - 1)))
    }

    /// Appends the object's JSON text, as ``JSONText/write(_:into:)`` writes an object.
    func write(into output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        for index in fields.indices {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            let field = fields[index]
            if let given = SplicedField.madeIndex(field.name) {
                JSONText.writeString(givenNames[given], into: &output)
                output.append(UInt8(ascii: ":"))
            } else {
                // Quote, name, quote and colon in one copy: the text holds `"name"` and
                // (after optional whitespace) `:`; write them compact.
                output.append(UInt8(ascii: "\""))
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[field.name]))
                output.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
            }
            if let made = SplicedField.madeIndex(field.value) {
                JSONText.write(madeValues[made], into: &output)
            } else {
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[field.value]))
            }
        }
        output.append(UInt8(ascii: "}"))
    }
}
