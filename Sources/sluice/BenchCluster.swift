import SluiceKafka

/// Cluster-side chores of a benchmark: reachability and topics.
enum BenchCluster {
    /// Fails within `timeoutMs` with a message naming the address when no broker answers.
    static func checkReachable(_ configuration: KafkaConfiguration, timeoutMs: Int) throws {
        let consumer = try Consumer(configuration: configuration.merging(.logSilenced))
        _ = try consumer.metadata(timeoutMs: timeoutMs)
    }

    /// The cluster a benchmark runs against: `bootstrapServers` when given, otherwise
    /// an embedded cluster in a child process (the caller stops it). The returned
    /// producer settings point at it, and it has answered within `timeoutMs`.
    static func start(bootstrapServers: String?, producer: KafkaConfiguration, timeoutMs: Int) throws
        -> (broker: ChildBroker?, servers: String, base: KafkaConfiguration)
    {
        let broker = bootstrapServers == nil ? try ChildBroker() : nil
        let servers = bootstrapServers ?? broker!.bootstrapServers
        var base = producer
        base["bootstrap.servers"] = servers
        do {
            try checkReachable(base, timeoutMs: timeoutMs)
        } catch {
            broker?.stop()
            throw error
        }
        return (broker, servers, base)
    }

    /// Creates a topic in the child broker, or through the admin API of a real
    /// cluster (falling back to an auto-created topic where admin is not served).
    static func createTopic(_ name: String, partitions: Int, broker: ChildBroker?, configuration: KafkaConfiguration) throws {
        if let broker {
            try broker.createTopic(name, partitions: partitions)
            return
        }
        do {
            try TopicAdmin(configuration: configuration).createTopic(name, partitions: partitions)
        } catch let error as KafkaError {
            guard case .adminNotSupported = error else { throw error }
            FileHandleOutput.standardError.write("sluice: warning: \(error); '\(name)' will be auto-created\n")
        }
    }
}

extension KafkaConfiguration {
    /// Silences librdkafka's own log lines (errors still surface as Swift errors).
    static var logSilenced: KafkaConfiguration {
        var config = KafkaConfiguration()
        config["log_level"] = "0"
        return config
    }
}
