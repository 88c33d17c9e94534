import Foundation
import SluiceConnectors
import SluiceHTTP
import SluiceKafka
import SluiceRuntime
import Testing

/// The `/metrics` text for a worker running a real datagen task on the embedded cluster.
@Suite("PrometheusExporter")
struct PrometheusExporterTests {
    /// The value of the first sample of `name` whose labels contain `labels`.
    static func sample(_ text: String, _ name: String, labels: String = "") -> Double? {
        text.split(separator: "\n").first { line in
            line.hasPrefix(name + " ") || (line.hasPrefix(name + "{") && line.contains(labels))
        }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test("task series carry connector and task labels, rates come from the time between scrapes, an ended task leaves")
    func renders() throws {
        let cluster = try EmbeddedKafka()
        var producer = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        producer["log_level"] = "0"
        let worker = Worker(settings: Worker.Settings(producer: producer, consumer: producer), registry: BuiltinConnectors.registry, offsets: nil)
        let herder = FakeHerder(registry: BuiltinConnectors.registry, metrics: worker.metrics)
        let exporter = PrometheusExporter()
        let id = ConnectorTaskID(connector: "gen", task: 0)
        try worker.startTask(id, config: ["connector.class": "datagen", "topic": "m", "max.records.per.sec": "20000"])
        _ = exporter.render(herder)
        usleep(500_000)
        let text = exporter.render(herder)
        let labels = #"connector="gen",task="0""#
        let polled = Self.sample(text, "kafka_connect_source_task_metrics_source_record_poll_total", labels: labels) ?? 0
        let rate = Self.sample(text, "kafka_connect_source_task_metrics_source_record_poll_rate", labels: labels) ?? 0
        #expect(polled > 0, "\(text)")
        #expect(rate > 1_000 && rate < 100_000, "records/s over the time between the two scrapes: \(rate)")
        let busy = Self.sample(text, "sluice_task_busy_fraction", labels: labels) ?? -1
        #expect(busy >= 0 && busy <= 1)
        #expect(Self.sample(text, "kafka_connect_connect_worker_metrics_task_startup_attempts_total") == 1)
        #expect(Self.sample(text, "kafka_connect_connect_worker_rebalance_metrics_epoch") == 7)
        worker.stopAll()
        let after = exporter.render(herder)
        #expect(!after.contains(labels), "a stopped task's series are gone")
        #expect(Self.sample(after, "sluice_worker_task_stops_total") == 1)
    }
}

/// Error metrics and statuses of a standalone worker whose tasks skip records or fail.
@Suite("PrometheusExporter: errors and statuses")
struct PrometheusErrorMetricsTests {
    static func sample(_ text: String, _ name: String, _ labels: String) -> Double? {
        PrometheusExporterTests.sample(text, name, labels: labels)
    }

    @Test("task error metrics, statuses as state sets and per-connector task counts are read at scrape time")
    func errorsAndStatuses() throws {
        let cluster = try EmbeddedKafka()
        let offsets = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-metrics-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: offsets) }
        let standalone = try StandaloneWorker(
            config: WorkerConfig(properties: [
                "bootstrap.servers": cluster.bootstrapServers, "offset.storage.file.filename": offsets, "producer.log_level": "0",
            ]),
            registry: BuiltinConnectors.registry, log: { _ in })
        // InsertField refuses datagen's binary values: every record fails its transform.
        let failing = [
            "connector.class": "datagen", "max.records.per.sec": "1000",
            "transforms": "i", "transforms.i.type": "org.apache.kafka.connect.transforms.InsertField$Value",
            "transforms.i.static.field": "x", "transforms.i.static.value": "y",
        ]
        try standalone.putConnector("skips", config: failing.merging(["topic": "s", "errors.tolerance": "all"]) { $1 }, mustBeNew: true)
        try standalone.putConnector("breaks", config: failing.merging(["topic": "b"]) { $1 }, mustBeNew: true)
        try standalone.start()
        defer { try? standalone.stop() }
        let exporter = PrometheusExporter()
        let skips = #"connector="skips",task="0""#
        let breaks = #"connector="breaks",task="0""#
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        repeat {
            text = exporter.render(standalone)
            let skipped = Self.sample(text, "kafka_connect_task_error_metrics_total_records_skipped_total", skips) ?? 0
            let failed = Self.sample(text, "kafka_connect_connector_task_metrics_status", breaks + #",status="failed""#) ?? 0
            if skipped > 0 && failed == 1 { break }
            usleep(50_000)
        } while Date() < deadline
        let errors = "kafka_connect_task_error_metrics_"
        #expect((Self.sample(text, errors + "total_records_skipped_total", skips) ?? 0) > 0, "\(text)")
        #expect((Self.sample(text, errors + "total_record_errors_total", skips) ?? 0) > 0)
        #expect((Self.sample(text, errors + "total_record_failures_total", skips) ?? 0) > 0)
        #expect((Self.sample(text, errors + "last_error_timestamp", skips) ?? 0) > 1.7e12, "ms since the epoch")
        #expect(Self.sample(text, errors + "deadletterqueue_produce_requests_total", skips) == 0, "no dead-letter topic")
        #expect(Self.sample(text, errors + "total_retries_total", skips) == 0)
        #expect(Self.sample(text, "kafka_connect_source_task_metrics_source_record_active", skips) != nil)
        #expect(Self.sample(text, "kafka_connect_connector_task_metrics_status", skips + #",status="running""#) == 1)
        #expect(Self.sample(text, "kafka_connect_connector_task_metrics_status", skips + #",status="failed""#) == 0)
        #expect(Self.sample(text, "kafka_connect_connector_task_metrics_status", breaks + #",status="failed""#) == 1, "\(text)")
        #expect(Self.sample(text, "kafka_connect_connector_task_metrics_status", breaks + #",status="running""#) == 0)
        #expect(Self.sample(text, "kafka_connect_connector_metrics_status", #"connector="skips",status="running""#) == 1)
        let worker = "kafka_connect_connect_worker_metrics_connector_"
        #expect(Self.sample(text, worker + "running_tasks", #"connector="skips""#) == 1)
        #expect(Self.sample(text, worker + "failed_tasks", #"connector="skips""#) == 0)
        #expect(Self.sample(text, worker + "failed_tasks", #"connector="breaks""#) == 1)
        #expect(Self.sample(text, worker + "running_tasks", #"connector="breaks""#) == 0)
        #expect(Self.sample(text, worker + "total_tasks", #"connector="breaks""#) == 1)
    }
}
