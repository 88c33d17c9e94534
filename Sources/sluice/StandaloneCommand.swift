import ArgumentParser
import SluiceBench
import SluiceConnectors
import SluiceHTTP
import SluiceKafka
import SluiceRuntime
#if canImport(Glibc)
import Glibc
#endif

/// `sluice standalone worker.properties connector.json [...]`: the shape of `connect-standalone`.
struct StandaloneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standalone",
        abstract: "Run connectors in this process, with source offsets in a local file.",
        discussion: """
            The worker file is a Kafka Connect worker.properties (bootstrap.servers,
            offset.storage.file.filename, offset.flush.interval.ms, worker.cpus, producer.* and
            consumer.* librdkafka properties). Each connector file is Kafka Connect connector JSON
            ({"name": ..., "config": {...}} or a bare config) or a .properties file. Values may use
            ${env:NAME} and ${file:/path:key}. The Kafka Connect REST API and /metrics are served on
            listeners (default http://127.0.0.1:8083; http://127.0.0.1:0 picks a free port), with
            rest.auth.* as in distributed mode; connectors added there live until the process ends.
            SIGINT or SIGTERM stops the tasks, writes the offsets of everything delivered, and exits 0.
            """
    )

    @Argument(help: "The worker properties file.")
    var workerProperties: String

    @Argument(help: "Connector config files (JSON or .properties).")
    var connectors: [String] = []

    @Flag(help: "Exit once every source task has ended (bounded sources, e.g. files with follow=false) and its records are delivered.")
    var exitWhenSourcesEnd = false

    func run() throws {
        let stopSignals = StopSignals.block()

        let raw = try PropertiesFile.load(path: workerProperties)
        let resolver = SecretResolver(providers: try ConfigProviders(properties: raw))
        var (properties, problems) = resolver.resolveWorkerProperties(raw)
        if properties["producer.log_level"] == nil { properties["producer.log_level"] = "3" }
        let config: WorkerConfig
        let rest: RestConfig
        do {
            config = try WorkerConfig(properties: properties)
            rest = try RestConfig(properties: properties)
        } catch let RuntimeError.invalidConnectorConfig(_, more) {
            problems += more
            throw RuntimeError.invalidConnectorConfig(connector: "worker", problems: problems)
        }
        if !problems.isEmpty { throw RuntimeError.invalidConnectorConfig(connector: "worker", problems: problems) }
        for notice in config.notices { FileHandleOutput.standardError.write("sluice standalone: \(notice)\n") }
        let worker = try StandaloneWorker(config: config, registry: .sluice, resolver: resolver)
        for path in connectors {
            try worker.add(ConnectorConfigFile.load(path: path))
        }
        if !rest.isLoopback && rest.authType == "none" {
            FileHandleOutput.standardError.write("sluice standalone: WARN: the REST API on \(rest.host) is reachable from the network without authentication (rest.auth.type=none was set explicitly)\n")
        }
        let server = RestServer(host: rest.host, port: rest.port, authentication: RestAuthentication(config: rest))
        let port = try server.start()
        defer { server.stop() }
        worker.workerID = "\(rest.reachableHost):\(port)"
        try worker.start(fetchClusterID: true)
        server.attach(worker)
        FileHandleOutput.standardOutput.write("rest.url=http://\(worker.workerID)/\n")
        if exitWhenSourcesEnd {
            // Sources end by themselves, or SIGINT/SIGTERM stops them.
            while !worker.sourcesHaveEnded {
                if stopSignals.wait(seconds: 1) != nil { break }
            }
            try worker.stop()
            try Self.exitStatus(worker)
            return
        }
        let err = FileHandleOutput.standardError
        err.write("sluice standalone: \(connectors.count) connector\(connectors.count == 1 ? "" : "s") running against \(config.bootstrapServers)\n")
        // Wait for a stop signal, reporting each task that fails meanwhile.
        var received: Int32 = 0
        var reported = Set<String>()
        while true {
            if let signal = stopSignals.wait(seconds: 1) { received = signal; break }
            if let failure = worker.failure {
                err.write("sluice standalone: stopping: \(failure)\n")
                try? worker.stop()
                throw failure
            }
            for task in worker.taskStates where task.state == .failed {
                let key = "\(task.connector)/\(task.task)"
                if reported.insert(key).inserted {
                    err.write("sluice standalone: \(task.connector) task \(task.task) FAILED: \(task.error.map { "\($0)" } ?? "unknown")\n")
                }
            }
        }
        err.write("sluice standalone: stopping (signal \(received))\n")
        try worker.stop()
        for task in worker.taskStates where task.state == .failed && !reported.contains("\(task.connector)/\(task.task)") {
            err.write("sluice standalone: \(task.connector) task \(task.task) FAILED: \(task.error.map { "\($0)" } ?? "unknown")\n")
        }
        try Self.exitStatus(worker)
    }
}

extension StandaloneCommand {
    /// Throws (a non-zero exit) when a task ended FAILED, naming them.
    static func exitStatus(_ worker: StandaloneWorker) throws {
        let failed = worker.taskStates.filter { $0.state == .failed }
        guard failed.isEmpty else {
            throw WorkerExit.tasksFailed(failed.map { "\($0.connector)-\($0.task): \($0.error.map { "\($0)" } ?? "unknown")" })
        }
    }
}
