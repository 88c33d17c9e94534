import Prometheus
import SluiceCore
import SluiceRuntime

/// Renders a worker's figures in Prometheus' text format for `GET /metrics`.
///
/// Names follow what Kafka Connect's metrics look like through the Prometheus JMX
/// exporter: group and metric name joined with underscores, e.g.
/// `kafka_connect_source_task_metrics_source_record_poll_rate{connector,task}`, with
/// two changes so that `promtool check metrics` accepts them: times are in seconds
/// (`..._avg_time_seconds`, not `..._avg_time_ms`) and Kafka's `-count` gauges drop
/// the suffix Prometheus reserves for histograms (`task-count` is `..._tasks`,
/// `connector-running-task-count` is `..._connector_running_tasks`,
/// `source-record-active-count` is `..._source_record_active`). `docs/metrics.md`
/// lists every series.
///
/// Counters are atomics read at scrape time and exported as totals (`..._total`);
/// rates are per second over about the last 30 s (``ScrapeRateWindow``), so two
/// scrapers never disturb each other. Statuses are state sets: one series per state,
/// 1 for the current one (`kafka_connect_connector_metrics_status{connector,status}`).
///
/// Thread-safety: each scrape builds its own registry; the only shared state, the
/// rate window, has its own lock.
public final class PrometheusExporter: Sendable {
    /// The task counters whose rates are shown, in ``TaskReading`` order.
    let rates = ScrapeRateWindow<ConnectorTaskID>()

    /// An exporter.
    public init() {}

    /// The text for one scrape.
    public func render(_ herder: any Herder) -> String {
        let registry = PrometheusCollectorRegistry()
        renderWorker(herder, into: registry)
        renderStatuses(herder, into: registry)
        renderTasks(herder.metrics.taskCounters, now: MonotonicClock.nanoseconds(), into: registry)
        return registry.emitToString()
    }

    private func renderWorker(_ herder: any Herder, into registry: PrometheusCollectorRegistry) {
        let metrics = herder.metrics
        let assigned = herder.assignedTasks
        let connectors = Set(assigned.map(\.connector))
        registry.makeGauge(
            name: "kafka_connect_connect_worker_metrics_tasks",
            help: "Tasks assigned to this worker (Kafka's task-count)"
        )
        .set(Double(assigned.count))
        registry.makeGauge(
            name: "kafka_connect_connect_worker_metrics_connectors",
            help: "Connectors with tasks on this worker (Kafka's connector-count)"
        )
        .set(Double(connectors.count))
        let rebalances = metrics.rebalances.load(ordering: .relaxed)
        registry.makeCounter(
            name: "kafka_connect_connect_worker_rebalance_metrics_completed_rebalances_total",
            help: "Rebalances this worker completed"
        )
        .increment(by: Int64(rebalances))
        registry.makeGauge(
            name: "kafka_connect_connect_worker_rebalance_metrics_rebalance_avg_time_seconds",
            help: "Average time of a rebalance"
        )
        .set(rebalances == 0 ? 0 : Double(metrics.rebalanceMillis.load(ordering: .relaxed)) / Double(rebalances) / 1e3)
        registry.makeGauge(name: "kafka_connect_connect_worker_rebalance_metrics_epoch", help: "The group generation")
            .set(Double(herder.generation))
        registry.makeGauge(
            name: "kafka_connect_connect_worker_rebalance_metrics_rebalancing", help: "1 while a rebalance is under way"
        )
        .set(herder.isRebalancing ? 1.0 : 0.0)
        let commits = metrics.offsetCommits.load(ordering: .relaxed)
        registry.makeCounter(name: "kafka_connect_connect_worker_metrics_offset_commit_total", help: "Offset flushes")
            .increment(by: Int64(commits))
        registry.makeCounter(
            name: "kafka_connect_connect_worker_metrics_offset_commit_failure_total", help: "Offset flushes that failed"
        )
        .increment(by: Int64(metrics.offsetCommitFailures.load(ordering: .relaxed)))
        registry.makeGauge(
            name: "kafka_connect_source_task_metrics_offset_commit_avg_time_seconds",
            help: "Average time of an offset flush"
        )
        .set(commits == 0 ? 0 : Double(metrics.offsetCommitNanos.load(ordering: .relaxed)) / Double(commits) / 1e9)
        registry.makeCounter(
            name: "kafka_connect_task_error_metrics_total_task_failures_total", help: "Task failures on this worker"
        )
        .increment(by: Int64(metrics.taskFailures.load(ordering: .relaxed)))
        registry.makeCounter(
            name: "kafka_connect_connect_worker_metrics_task_startup_attempts_total",
            help: "Tasks this worker tried to start"
        )
        .increment(by: Int64(metrics.taskStartAttempts.load(ordering: .relaxed)))
        registry.makeCounter(
            name: "sluice_worker_task_stops_total", help: "Running tasks this worker was asked to stop"
        )
        .increment(by: Int64(metrics.taskStops.load(ordering: .relaxed)))
        registry.makeGauge(name: "sluice_worker_uptime_seconds", help: "Seconds since the worker started").set(
            metrics.uptimeSeconds)
    }
}
