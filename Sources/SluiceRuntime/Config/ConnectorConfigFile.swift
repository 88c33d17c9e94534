import Foundation

/// A connector's name and settings, read from the JSON (`{"name": ..., "config": {...}}`
/// or a bare config object with `name` inside) or `.properties` files Kafka Connect
/// users already have.
public struct ConnectorConfigFile: Sendable, Equatable {
    /// The connector's unique name.
    public var name: String
    /// Its settings, as strings (numbers and booleans from JSON included).
    public var config: [String: String]

    /// Creates a config.
    public init(name: String, config: [String: String]) {
        self.name = name
        self.config = config
    }

    /// Reads `path` as JSON when it ends in `.json` or starts with `{`, else as properties.
    public static func load(path: String) throws -> ConnectorConfigFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigFileError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        let text = String(decoding: data, as: UTF8.self)
        if path.hasSuffix(".json") || text.drop(while: \.isWhitespace).first == "{" {
            return try parseJSON(text, path: path)
        }
        let properties = try PropertiesFile.parse(text, path: path)
        guard let name = properties["name"] else { throw ConfigFileError.missingName(path: path) }
        return ConnectorConfigFile(name: name, config: properties)
    }

    /// Parses connector JSON (`//` and `/* */` comments allowed); errors give the line and column.
    public static func parseJSON(_ text: String, path: String = "<input>") throws -> ConnectorConfigFile {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(JSONComments.blanked(Array(text.utf8))))
        } catch {
            let (line, column) = JSONErrorLocation.locate(error, in: text)
            throw ConfigFileError.malformedJSON(path: path, line: line, column: column)
        }
        guard let top = object as? [String: Any] else {
            throw ConfigFileError.invalid(path: path, reason: "the top level must be a JSON object")
        }
        let configObject = (top["config"] as? [String: Any]) ?? top
        var config: [String: String] = [:]
        for (key, value) in configObject {
            switch value {
            case let text as String: config[key] = text
            case let flag as Bool where type(of: value) == Bool.self || "\(type(of: value))".contains("Boolean"):
                config[key] = flag ? "true" : "false"
            case let number as NSNumber: config[key] = number.stringValue
            case is NSNull: continue
            default:
                throw ConfigFileError.invalid(path: path, reason: "the value of \"\(key)\" must be a string, number or boolean")
            }
        }
        guard let name = (top["name"] as? String) ?? config["name"] else { throw ConfigFileError.missingName(path: path) }
        config["name"] = name
        return ConnectorConfigFile(name: name, config: config)
    }
}

/// Errors reading connector and worker config files.
public enum ConfigFileError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformedJSON(path: String, line: Int, column: Int)
    case invalid(path: String, reason: String)
    case missingName(path: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot read '\(path)': \(reason)"
        case let .malformedJSON(path, line, column): return "'\(path)' is not valid JSON: error at line \(line), column \(column)"
        case let .invalid(path, reason): return "'\(path)': \(reason)"
        case let .missingName(path): return "'\(path)' has no connector \"name\""
        }
    }
}

/// Turns Foundation's "around character N" into a line and column.
enum JSONErrorLocation {
    static func locate(_ error: Error, in text: String) -> (line: Int, column: Int) {
        let detail = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? "\(error)"
        var offset = text.utf8.count
        if let range = detail.range(of: "character ") {
            let digits = detail[range.upperBound...].prefix { $0.isNumber }
            if let value = Int(digits) { offset = value }
        }
        var line = 1
        var column = 1
        for (index, byte) in text.utf8.enumerated() {
            if index >= offset { break }
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}
