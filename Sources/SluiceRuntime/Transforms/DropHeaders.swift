/// Kafka Connect's `DropHeaders`: removes every header whose name is listed.
///
/// ```properties
/// transforms.d.type=org.apache.kafka.connect.transforms.DropHeaders
/// transforms.d.headers=trace-id,debug
/// ```
public struct DropHeaders: Transformation {
    /// The names of the headers to remove (`headers`).
    public let names: Set<String>

    /// Creates the transform.
    public init(names: [String]) {
        self.names = Set(names)
    }

    public func apply(_ record: inout ConnectRecord) throws -> Bool {
        // A record without headers is left alone (no set lookups, no writes).
        if !record.headers.isEmpty {
            record.headers.removeAll { names.contains($0.name) }
        }
        return true
    }
}
