import ArgumentParser
import SluiceBench
import SluiceCore
import SluiceKafka
#if canImport(Glibc)
import Glibc
#endif

/// `sluice broker`: an embedded Kafka cluster (librdkafka's mock cluster) in its own process.
struct BrokerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Run an embedded Kafka cluster on loopback and print its bootstrap address.",
        discussion: """
            Prints one line, `bootstrap.servers=HOST:PORT[,...]`, then serves until SIGINT or SIGTERM.
            It also creates Kafka Connect's default internal topics for `sluice worker`
            (connect-configs with 1 partition, connect-offsets with 25, connect-status with 5, with
            replication factor min(3, brokers)), since the embedded cluster cannot create topics
            for other processes; --no-connect-topics leaves them out.
            With --control-stdin it also reads commands, one per line, and answers `ok` or `error: ...`:
              create TOPIC PARTITIONS [REPLICATION_FACTOR]
              down BROKER_ID [keep-leaders] | up BROKER_ID
            `down` hands the broker's partition leaderships to the brokers still up, as a real
            cluster's controller would (the embedded cluster has no controller); `keep-leaders`
            leaves them on the down broker, so its partitions stall until it is back.
            and exits when stdin closes (so it never outlives the process that started it).
            With --port the brokers listen on fixed ports, so clients reconnect to a restarted
            broker; its topics and records live in memory and start empty on every start.
            """
    )

    @Option(help: "Number of brokers (ids 1...N).")
    var brokers: Int = 1

    @Option(help: "Port of broker 1 on 127.0.0.1; broker N listens on PORT+N-1 (default: ports the system picks).")
    var port: Int?

    @Option(name: .customLong("topic"), help: "Create a topic: NAME:PARTITIONS[:REPLICATION_FACTOR] (repeatable).")
    var topics: [String] = []

    @Flag(help: "Read control commands from stdin and exit when it closes.")
    var controlStdin = false

    @Flag(inversion: .prefixedNo, help: "Create connect-configs, connect-offsets and connect-status for distributed workers.")
    var connectTopics = true

    func validate() throws {
        guard brokers >= 1 && brokers <= 64 else {
            throw ValidationError("invalid value '\(brokers)' for --brokers: expected 1...64")
        }
        if let port, port < 1 || port > 65_536 - brokers {
            throw ValidationError("invalid value '\(port)' for --port: expected 1...\(65_536 - brokers) for \(brokers) broker(s)")
        }
        for topic in topics { _ = try TopicSpec(parsing: topic) }
    }

    func run() throws {
        let stopSignals = StopSignals.block()

        let cluster = try port.map { try FixedBrokerPorts.cluster(brokers: brokers, firstPort: $0) } ?? EmbeddedKafka(brokers: brokers)
        if connectTopics {
            let factor = min(3, brokers)
            for (name, partitions) in [("connect-configs", 1), ("connect-offsets", 25), ("connect-status", 5)]
            where !topics.contains(where: { $0.hasPrefix(name + ":") }) {
                try cluster.createTopic(name, partitions: partitions, replicationFactor: factor)
            }
        }
        for topic in topics {
            let spec = try TopicSpec(parsing: topic)
            try cluster.createTopic(spec.name, partitions: spec.partitions, replicationFactor: spec.replicationFactor)
        }
        FileHandleOutput.standardOutput.write("bootstrap.servers=\(cluster.bootstrapServers)\n")
        if controlStdin {
            let control = BrokerControl(cluster: cluster)
            // Detached: it ends with the process.
            _ = try PinnedThread(name: "broker-control") { control.serve() }
        }
        _ = stopSignals.wait()
        withExtendedLifetime(cluster) {}
    }
}

/// `NAME:PARTITIONS[:REPLICATION_FACTOR]`.
struct TopicSpec: Equatable {
    var name: String
    var partitions: Int
    var replicationFactor: Int

    init(parsing text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty,
            let partitions = Int(parts[1]), partitions >= 1,
            let factor = parts.count == 3 ? Int(parts[2]) : 1, factor >= 1
        else {
            throw ValidationError("invalid value '\(text)' for --topic: expected NAME:PARTITIONS[:REPLICATION_FACTOR] with positive numbers")
        }
        name = parts[0]
        self.partitions = partitions
        replicationFactor = factor
    }
}
