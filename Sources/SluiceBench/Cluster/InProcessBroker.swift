import SluiceKafka
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// librdkafka's mock cluster in this process, with the verifiers watching its topics.
///
/// It serves ``BenchCluster/embedded`` runs, and the `watch`/`result` commands of
/// `sluice broker --control-stdin` (``BrokerControl``) in the broker process.
final class InProcessBroker: EmbeddedBroker, Sendable {
    let cluster: EmbeddedKafka
    private let verifiers = Mutex<[String: TopicVerifier]>([:])

    /// Wraps `cluster`.
    init(cluster: EmbeddedKafka) {
        self.cluster = cluster
    }

    /// Starts a cluster of `brokers` brokers.
    convenience init(brokers: Int = 1) throws {
        self.init(cluster: try EmbeddedKafka(brokers: brokers))
    }

    var bootstrapServers: String { cluster.bootstrapServers }

    var processIdentifier: Int32 { getpid() }

    func createTopic(_ name: String, partitions: Int) throws {
        try cluster.createTopic(name, partitions: partitions)
    }

    func watch(_ topic: String, expected: [Int]) throws {
        let verifier = try TopicVerifier(topic: topic, expected: expected, bootstrapServers: cluster.bootstrapServers)
        verifiers.withLock { $0[topic] = verifier }
    }

    /// - Throws: ``BenchError/runFailed(_:)`` when `topic` is not watched.
    func result(_ topic: String) throws -> TopicVerifier.Outcome {
        guard let verifier = verifiers.withLock({ $0.removeValue(forKey: topic) }) else {
            throw BenchError.runFailed("no watch on '\(topic)'")
        }
        return try verifier.finish()
    }

    /// Stops the verifiers still watching; the cluster ends with the last reference to it.
    func stop() {
        let pending = verifiers.withLock { verifiers in
            defer { verifiers.removeAll() }
            return Array(verifiers.values)
        }
        for verifier in pending { verifier.cancel() }
    }
}
