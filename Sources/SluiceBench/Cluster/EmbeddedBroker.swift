/// An embedded cluster a benchmark owns, in a child process (``ChildBroker``) or in
/// this one (``InProcessBroker``): topics are created in it directly (its admin API
/// does not answer), and a topic is verified while it is written, since the mock
/// broker keeps only the newest 5 MiB of each partition.
protocol EmbeddedBroker: AnyObject {
    /// Its brokers' addresses.
    var bootstrapServers: String { get }
    /// The process whose CPU time is the broker's (this one's for ``InProcessBroker``).
    var processIdentifier: Int32 { get }
    /// Creates a topic with `partitions` partitions.
    func createTopic(_ name: String, partitions: Int) throws
    /// Starts verifying `topic` while it is written (`expected` empty: only read and
    /// count, for an equal load on a baseline run).
    func watch(_ topic: String, expected: [Int]) throws
    /// Waits for the verification of `topic` to read everything written, and returns it.
    func result(_ topic: String) throws -> TopicVerifier.Outcome
    /// Ends the cluster.
    func stop()
}
