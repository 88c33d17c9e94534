import Foundation

/// A Swift error described as Kafka Connect describes a Java exception in a dead
/// letter's headers: a class name, a message and a "stack trace".
///
/// - ``className``: the error's type, module-qualified (`SluiceRuntime.ConversionError`).
///   Swift writes a private or local type with a per-build context
///   (`M.(unknown context at $1a2b).Oops`); that part is dropped (`M.Oops`), so the
///   name stays the same from one build to the next.
/// - ``message``: the error's description, as `getMessage()`.
/// - ``trace``: Swift errors carry no stack trace, so this text says instead what
///   failed, which case of the error it was, where it was raised, and the errors it
///   wraps (Foundation's `NSUnderlyingErrorKey` chain), Java's layout kept:
///
/// ```text
/// SluiceRuntime.ConversionError: expected a JSON value at byte 0
/// 	case: malformed
/// 	at org.apache.kafka.connect.json.JsonConverter (stage VALUE_CONVERTER, connector orders, task 0)
/// Caused by: ...
/// ```
struct ReportedError {
    /// `__connect.errors.exception.class.name`.
    var className: String
    /// `__connect.errors.exception.message`.
    var message: String
    /// `__connect.errors.exception.stacktrace`.
    var trace: String

    /// How many wrapped errors the trace follows at most.
    static let maxCauses = 8

    /// Describes `error`, raised at `stage` by `executingClass` in task `taskID` of `connector`.
    init(_ error: any Error, stage: String, executingClass: String, connector: String, taskID: Int) {
        className = Self.typeName(of: error)
        message = "\(error)"
        var lines = ["\(className): \(message)"]
        if let label = Self.caseName(of: error) { lines.append("\tcase: \(label)") }
        lines.append("\tat \(executingClass) (stage \(stage), connector \(connector), task \(taskID))")
        var cause = Self.underlying(error)
        var depth = 0
        while let next = cause, depth < Self.maxCauses {
            lines.append("Caused by: \(Self.typeName(of: next)): \(next)")
            cause = Self.underlying(next)
            depth += 1
        }
        trace = lines.joined(separator: "\n")
    }

    /// The module-qualified name of `error`'s type, without per-build context parts.
    static func typeName(of error: any Error) -> String {
        stableTypeName(String(reflecting: type(of: error)))
    }

    /// `name` without `(unknown context at $…).` and `(extension in M):` parts.
    static func stableTypeName(_ name: String) -> String {
        var result = ""
        var rest = Substring(name)
        while let open = rest.firstIndex(of: "(") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: ")") else { return result + rest[open...] }
            rest = rest[rest.index(after: close)...]
            if rest.first == "." || rest.first == ":" { rest = rest.dropFirst() }
        }
        return result + rest
    }

    /// The enum case of `error` when it is an enum case with a payload.
    static func caseName(of error: any Error) -> String? {
        let mirror = Mirror(reflecting: error)
        guard mirror.displayStyle == .enum else { return nil }
        return mirror.children.first?.label
    }

    /// The error `error` wraps, through Foundation's `NSUnderlyingErrorKey`.
    static func underlying(_ error: any Error) -> (any Error)? {
        (error as NSError).userInfo[NSUnderlyingErrorKey] as? any Error
    }
}
