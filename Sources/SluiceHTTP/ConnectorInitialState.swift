import Foundation
import SluiceRuntime

/// The `initial_state` of a `POST /connectors` body (KIP-980): the state a new
/// connector starts in. Kafka Connect's names, in any case:
///
/// | `initial_state` | target state |
/// | --- | --- |
/// | `RUNNING` (or absent, or null) | ``TargetState/started`` |
/// | `PAUSED` | ``TargetState/paused`` |
/// | `STOPPED` | ``TargetState/stopped`` |
enum ConnectorInitialState {
    /// The body's field.
    static let field = "initial_state"

    /// The target state `value` (the body's field, nil when absent) asks for; nil
    /// when it asks for nothing.
    /// - Throws: ``HerderError/badRequest(_:)`` naming the accepted values.
    static func targetState(_ value: Any?) throws -> TargetState? {
        guard let value, !(value is NSNull) else { return nil }
        if let text = value as? String {
            switch text.uppercased() {
            case "RUNNING": return .started
            case "PAUSED": return .paused
            case "STOPPED": return .stopped
            default: break
            }
        }
        throw HerderError.badRequest(
            "Invalid value \(ConnectorName.escaped("\(value)")) for \(field): expected one of RUNNING, PAUSED, STOPPED")
    }
}
