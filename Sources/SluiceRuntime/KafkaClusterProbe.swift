import SluiceKafka

/// The first answer from a Kafka cluster a worker needs at start: a connection to
/// one of its bootstrap servers and the cluster's id (`GET /` shows it).
enum KafkaClusterProbe {
    /// A connection to the first bootstrap server that answers.
    /// - Throws: ``WorkerStartError/unreachable(bootstrapServers:reason:)`` naming the last failure.
    static func connect(bootstrapServers servers: String, timeoutMs: Int = 10_000) throws -> BrokerConnection {
        do {
            return try BrokerConnection.first(of: servers.split(separator: ",").map(String.init), timeoutMs: timeoutMs)
        } catch {
            throw WorkerStartError.unreachable(bootstrapServers: servers, reason: "\(error)")
        }
    }

    /// The cluster's id (empty when the cluster does not say).
    /// - Throws: ``WorkerStartError/unreachable(bootstrapServers:reason:)``.
    static func clusterID(bootstrapServers servers: String) throws -> String {
        let connection = try connect(bootstrapServers: servers)
        do {
            return try ControlPlaneClient.metadata(connection, topics: []).clusterID ?? ""
        } catch {
            throw WorkerStartError.unreachable(bootstrapServers: servers, reason: "\(error)")
        }
    }
}
