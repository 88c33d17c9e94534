import Foundation

/// What a connector name may be: not empty, no `/` (it is a path segment of the REST
/// API), no control characters (they would forge log lines and break tools).
public enum ConnectorName {
    /// Checks `name`.
    /// - Throws: ``HerderError/badRequest(_:)`` saying what is wrong, with the name escaped.
    public static func check(_ name: String) throws {
        guard !name.isEmpty else { throw HerderError.badRequest("Connector name must not be empty") }
        guard !name.contains("/") else { throw HerderError.badRequest("Connector name \(escaped(name)) must not contain '/'") }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw HerderError.badRequest("Connector name \(escaped(name)) contains ISO control characters")
        }
    }

    /// `text` quoted with control characters and quotes escaped, safe in one log line.
    public static func escaped(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.properties.generalCategory == .control {
                    result += String(format: "\\u%04X", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
