/// A task of a connector, as Kafka Connect names it: `{"connector": "name", "task": 0}`.
public struct ConnectorTaskID: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The connector's name.
    public var connector: String
    /// The task's number, from 0.
    public var task: Int

    /// The task `task` of `connector`.
    public init(connector: String, task: Int) {
        self.connector = connector
        self.task = task
    }

    public static func < (lhs: ConnectorTaskID, rhs: ConnectorTaskID) -> Bool {
        (lhs.connector, lhs.task) < (rhs.connector, rhs.task)
    }

    public var description: String { "\(connector)-\(task)" }
}
