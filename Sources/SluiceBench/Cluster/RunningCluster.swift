import SluiceKafka

/// The cluster of one benchmark or sweep while it runs: the embedded broker it
/// started (if any), its address, and the producer settings pointed at it.
struct RunningCluster {
    /// The embedded cluster this run owns; `nil` on a cluster of bootstrap servers.
    let broker: (any EmbeddedBroker)?
    let bootstrapServers: String
    /// The plan's producer settings with `bootstrap.servers` set.
    let producer: KafkaConfiguration
    private let output: BenchOutput

    /// Starts (or reaches) `choice`, which must answer within `timeoutMs`; the caller
    /// calls ``stop()``.
    init(_ choice: BenchCluster, producer: KafkaConfiguration, timeoutMs: Int, output: BenchOutput) throws {
        var servers = ""
        switch choice {
        case .embedded: broker = try InProcessBroker()
        case let .embeddedProcess(executable): broker = try ChildBroker(sluiceExecutable: executable)
        case let .bootstrapServers(given): broker = nil; servers = given
        }
        bootstrapServers = broker?.bootstrapServers ?? servers
        var base = producer
        base["bootstrap.servers"] = bootstrapServers
        self.producer = base
        self.output = output
        do {
            try Self.checkReachable(base, timeoutMs: timeoutMs)
        } catch {
            broker?.stop()
            throw error
        }
    }

    /// Fails within `timeoutMs` with a message naming the address when no broker answers.
    static func checkReachable(_ configuration: KafkaConfiguration, timeoutMs: Int) throws {
        let consumer = try Consumer(configuration: configuration.merging(.logSilenced))
        _ = try consumer.metadata(timeoutMs: timeoutMs)
    }

    /// How the report's header names it: the servers, or `embedded (SERVERS)`.
    var label: String { broker == nil ? bootstrapServers : "embedded (\(bootstrapServers))" }

    /// Creates a topic in the embedded broker, or through the admin API of a real
    /// cluster (falling back to an auto-created topic where admin is not served).
    func createTopic(_ name: String, partitions: Int, configuration: KafkaConfiguration) throws {
        if let broker {
            try broker.createTopic(name, partitions: partitions)
            return
        }
        do {
            try TopicAdmin(configuration: configuration).createTopic(name, partitions: partitions)
        } catch let error as KafkaError {
            guard case .adminNotSupported = error else { throw error }
            output.diagnostics("sluice: warning: \(error); '\(name)' will be auto-created\n")
        }
    }

    /// Ends the embedded broker, if this run started one.
    func stop() {
        broker?.stop()
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
