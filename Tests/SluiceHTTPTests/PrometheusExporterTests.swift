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
