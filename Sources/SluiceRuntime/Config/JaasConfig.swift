/// One JAAS login module entry, as Kafka clients take it in `sasl.jaas.config`:
/// `org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";`
/// (a module class, a control flag, `key=value` options with optional double quotes,
/// and a closing `;`).
struct JaasConfig: Equatable {
    /// Why a line is not a login module entry.
    struct ParseError: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// The login module's class name.
    var module: String
    /// `required`, `requisite`, `sufficient` or `optional`.
    var flag: String
    /// The options, quotes removed.
    var options: [String: String]

    /// Whether the module authenticates with a user name and password (PLAIN, SCRAM).
    var isUserAndPassword: Bool {
        module.hasSuffix(".PlainLoginModule") || module.hasSuffix(".ScramLoginModule")
    }

    static let flags: Set<String> = ["required", "requisite", "sufficient", "optional"]

    /// Parses one entry; errors never repeat an option's value (it may be a password).
    static func parse(_ text: String) -> Result<JaasConfig, ParseError> {
        var rest = Substring(text)
        func skipSpace() { while rest.first?.isWhitespace == true { rest.removeFirst() } }
        func word() -> Substring {
            skipSpace()
            let end = rest.firstIndex { $0.isWhitespace || $0 == ";" || $0 == "=" } ?? rest.endIndex
            defer { rest = rest[end...] }
            return rest[..<end]
        }
        let module = word()
        guard !module.isEmpty else { return .failure(ParseError(description: "no login module class")) }
        let flag = word()
        guard flags.contains(flag.lowercased()) else {
            return .failure(ParseError(description: "\(module) is not followed by a control flag (required, requisite, sufficient or optional)"))
        }
        var options: [String: String] = [:]
        while true {
            skipSpace()
            if rest.isEmpty || rest.first == ";" { break }
            let key = word()
            skipSpace()
            guard !key.isEmpty, rest.first == "=" else {
                return .failure(ParseError(description: "option \(key.isEmpty ? "?" : String(key)) has no '=value'"))
            }
            rest.removeFirst()
            skipSpace()
            var value = ""
            if rest.first == "\"" {
                rest.removeFirst()
                var closed = false
                while let character = rest.first {
                    rest.removeFirst()
                    if character == "\\", let next = rest.first {
                        value.append(next)
                        rest.removeFirst()
                    } else if character == "\"" {
                        closed = true
                        break
                    } else {
                        value.append(character)
                    }
                }
                guard closed else { return .failure(ParseError(description: "the value of option \(key) has no closing quote")) }
            } else {
                value = String(word())
            }
            options[String(key)] = value
        }
        if rest.first == ";" { rest.removeFirst() }
        skipSpace()
        guard rest.isEmpty else { return .failure(ParseError(description: "more than one login module (or text after ';')")) }
        return .success(JaasConfig(module: String(module), flag: String(flag).lowercased(), options: options))
    }
}
