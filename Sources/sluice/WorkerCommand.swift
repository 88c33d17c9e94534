import ArgumentParser
import Foundation
import SluiceBench
import SluiceConnectors
import SluiceCore
import SluiceHTTP
import SluiceKafka
import SluiceRuntime
#if canImport(Glibc)
import Glibc
#endif

/// `sluice worker worker.properties`: a distributed worker, the shape of `connect-distributed`.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a distributed worker: one member of a cluster of workers sharing connectors through Kafka.",
        discussion: """
            The file is a Kafka Connect distributed worker.properties: bootstrap.servers, group.id,
            config.storage.topic, offset.storage.topic, status.storage.topic (with their
            *.replication.factor and *.partitions), offset.flush.interval.ms, session.timeout.ms,
            heartbeat.interval.ms, listeners (default http://127.0.0.1:8083), rest.auth.type
            (none|basic|bearer) with rest.auth.basic.users or rest.auth.bearer.token, worker.cpus,
            task.restart.backoff.ms, task.restart.max.attempts, producer.* and consumer.* librdkafka
            properties, and any other librdkafka property (given to every client). Values may use
            ${env:NAME} and ${file:/path:key}. Connectors are managed through the Kafka Connect REST
            API. SIGTERM or SIGINT stops the tasks, flushes offsets, leaves the group and exits 0.
            """
    )

    @Argument(help: "The worker properties file.")
    var workerProperties: String

    func run() throws {
        let stopSignals = StopSignals.block()

        let err = FileHandleOutput.standardError
        // The worker's lines go through the `sluice.worker` logger (its level: /admin/loggers).
        let log: @Sendable (String) -> Void = { line in
            if LogLevels.shared.isEnabled(.info, "sluice.worker") { err.write("sluice worker: \(line)\n") }
        }
        let config = try DistributedWorkerConfig(properties: try PropertiesFile.load(path: workerProperties))
        // worker.cpus confines the whole worker, librdkafka's threads included: the
        // threads created from here on inherit this thread's CPUs.
        if config.base.cpus != CPUSet.available() {
            try config.base.cpus.restrictCallingThread()
        }
        for notice in config.base.notices { log(notice) }
        if !config.ignored.isEmpty {
            log("ignoring settings neither Sluice nor librdkafka knows: \(config.ignored.joined(separator: ", "))")
        }
        if !config.rest.isLoopback && config.rest.authType == "none" {
            log("WARN: the REST API on \(config.restHost) is reachable from the network without authentication (rest.auth.type=none was set explicitly)")
        }
        let server = RestServer(host: config.restHost, port: config.restPort, authentication: RestAuthentication(config: config.rest))
        let port = try server.start()
        let herder = try DistributedHerder(
            config: config, registry: .sluice, restAddress: "\(config.restHost):\(port)", log: log)
        do {
            try herder.start()
        } catch {
            server.stop()
            throw error
        }
        server.attach(herder)
        // The line tests and scripts wait for.
        FileHandleOutput.standardOutput.write("rest.url=\(herder.url)\n")
        log("REST API on \(config.restHost):\(port) (auth: \(config.authType)), worker id \(herder.workerID)")
        let received = stopSignals.wait()
        log("stopping (signal \(received))")
        let failed = herder.stop()
        server.stop()
        if !failed.isEmpty {
            throw WorkerExit.tasksFailed(failed.map(\.description))
        }
    }
}

/// Why `sluice worker` or `sluice standalone` ends with a non-zero status after a clean stop.
enum WorkerExit: Error, CustomStringConvertible {
    /// Tasks were FAILED when the worker stopped.
    case tasksFailed([String])

    var description: String {
        switch self {
        case let .tasksFailed(tasks): return "stopped with \(tasks.count) task\(tasks.count == 1 ? "" : "s") FAILED: \(tasks.joined(separator: ", "))"
        }
    }
}
