import Foundation
import SluiceKafka

/// A connector's or task's state as the status topic records it, and as the REST
/// API shows it: `{"state": "RUNNING", "worker_id": "127.0.0.1:8083", "trace": ...}`.
public struct StatusEntry: Sendable, Equatable {
    /// UNASSIGNED, RUNNING, PAUSED, STOPPED, FAILED or RESTARTING.
    public var state: StatusState
    /// The worker that runs it.
    public var workerID: String
    /// The failure's description and context, for FAILED.
    public var trace: String?
    /// The group generation the worker wrote it in.
    public var generation: Int32

    /// An entry.
    public init(state: StatusState, workerID: String, trace: String? = nil, generation: Int32) {
        self.state = state
        self.workerID = workerID
        self.trace = trace
        self.generation = generation
    }

    /// The JSON the status topic holds.
    public var json: [UInt8] {
        var object: [String: Any] = ["state": state.rawValue, "worker_id": workerID, "generation": generation]
        if let trace { object["trace"] = trace }
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    /// Parses a status topic value (nil for one this version cannot read).
    public init?(json bytes: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            let text = object["state"] as? String, let state = StatusState(rawValue: text),
            let worker = object["worker_id"] as? String
        else { return nil }
        self.init(
            state: state, workerID: worker, trace: object["trace"] as? String,
            generation: (object["generation"] as? NSNumber)?.int32Value ?? 0)
    }
}
