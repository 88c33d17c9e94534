import Prometheus
import SluiceCore
import SluiceRuntime

/// Renders a worker's figures in Prometheus' text format for `GET /metrics`.
///
/// Names follow what Kafka Connect's metrics look like through the Prometheus JMX
/// exporter: group and metric name joined with underscores, e.g.
/// `kafka_connect_source_task_metrics_source_record_poll_rate{connector,task}`.
/// Rates are per second over the time since the previous scrape; totals are also
/// exported as counters (`..._total`) so Prometheus can compute its own rates.
/// The data plane adds `sluice_task_busy_fraction` and `sluice_task_wait_fraction`
/// (since the previous scrape), cumulative `sluice_task_busy_seconds_total` (the task
/// polling its source), `sluice_task_wait_seconds_total` (waiting for a free batch:
/// backpressure from Kafka), `sluice_produce_busy_seconds_total` (handing batches to
/// librdkafka) and `sluice_producer_outstanding_records` (librdkafka's queue).
///
/// Thread-safety: ``render(_:)`` is serialized by a lock (it keeps the previous
/// sample for rates).
public final class PrometheusExporter: @unchecked Sendable {
    private struct Sample {
        var time: UInt64
        var taskRecords: Int
        var produced: Int
        var busy: UInt64
        var wait: UInt64
    }
    private var previous: [ConnectorTaskID: Sample] = [:]
    private let lock = NSLockShim()

    /// An exporter.
    public init() {}

    /// The text for one scrape.
    public func render(_ herder: any Herder) -> String {
        lock.withLock { renderLocked(herder) }
    }

    private func renderLocked(_ herder: any Herder) -> String {
        let registry = PrometheusCollectorRegistry()
        let metrics = herder.metrics
        let now = MonotonicClock.nanoseconds()
        let tasks = metrics.taskCounters
        let assigned = herder.assignedTasks
        let connectors = Set(assigned.map(\.connector))
        registry.makeGauge(name: "kafka_connect_connect_worker_metrics_task_count", help: "Tasks assigned to this worker")
            .set(Double(assigned.count))
        registry.makeGauge(name: "kafka_connect_connect_worker_metrics_connector_count", help: "Connectors with tasks on this worker")
            .set(Double(connectors.count))
        let rebalances = metrics.rebalances.load(ordering: .relaxed)
        registry.makeCounter(name: "kafka_connect_connect_worker_rebalance_metrics_completed_rebalances_total", help: "Rebalances this worker completed")
            .increment(by: Int64(rebalances))
        registry.makeGauge(name: "kafka_connect_connect_worker_rebalance_metrics_rebalance_avg_time_ms", help: "Average time of a rebalance")
            .set(rebalances == 0 ? 0 : Double(metrics.rebalanceMillis.load(ordering: .relaxed)) / Double(rebalances))
        registry.makeGauge(name: "kafka_connect_connect_worker_rebalance_metrics_epoch", help: "The group generation")
            .set(Double(herder.generation))
        registry.makeGauge(name: "kafka_connect_connect_worker_rebalance_metrics_rebalancing", help: "1 while a rebalance is under way")
            .set(herder.isRebalancing ? 1.0 : 0.0)
        let commits = metrics.offsetCommits.load(ordering: .relaxed)
        registry.makeCounter(name: "kafka_connect_connect_worker_metrics_offset_commit_total", help: "Offset flushes")
            .increment(by: Int64(commits))
        registry.makeCounter(name: "kafka_connect_connect_worker_metrics_offset_commit_failure_total", help: "Offset flushes that failed")
            .increment(by: Int64(metrics.offsetCommitFailures.load(ordering: .relaxed)))
        registry.makeGauge(name: "kafka_connect_source_task_metrics_offset_commit_avg_time_ms", help: "Average time of an offset flush")
            .set(commits == 0 ? 0 : Double(metrics.offsetCommitNanos.load(ordering: .relaxed)) / Double(commits) / 1e6)
        registry.makeCounter(name: "kafka_connect_task_error_metrics_total_task_failures_total", help: "Task failures on this worker")
            .increment(by: Int64(metrics.taskFailures.load(ordering: .relaxed)))
        registry.makeCounter(name: "kafka_connect_connect_worker_metrics_task_startup_attempts_total", help: "Tasks this worker tried to start")
            .increment(by: Int64(metrics.taskStartAttempts.load(ordering: .relaxed)))
        registry.makeCounter(name: "sluice_worker_task_stops_total", help: "Running tasks this worker was asked to stop")
            .increment(by: Int64(metrics.taskStops.load(ordering: .relaxed)))
        var next: [ConnectorTaskID: Sample] = [:]
        for (id, counters) in tasks.sorted(by: { $0.key < $1.key }) {
            let labels = [("connector", id.connector), ("task", String(id.task))]
            let sample = Sample(
                time: now, taskRecords: counters.task.records.load(ordering: .relaxed),
                produced: counters.produce?.records.load(ordering: .relaxed) ?? 0,
                busy: counters.task.busyNanos.load(ordering: .relaxed), wait: counters.task.waitNanos.load(ordering: .relaxed))
            next[id] = sample
            let before = previous[id]
            let seconds = before.map { Double(now - $0.time) / 1e9 } ?? 0
            func rate(_ value: Int, _ old: Int?) -> Double {
                guard let old, seconds > 0 else { return 0 }
                return Double(value - old) / seconds
            }
            let elapsedNanos = before.map { Double(now - $0.time) } ?? 0
            let busyFraction = elapsedNanos > 0 ? Double(sample.busy &- (before?.busy ?? 0)) / elapsedNanos : 0
            let waitFraction = elapsedNanos > 0 ? Double(sample.wait &- (before?.wait ?? 0)) / elapsedNanos : 0
            if counters.isSource {
                registry.makeCounter(name: "kafka_connect_source_task_metrics_source_record_poll_total", labels: labels)
                    .increment(by: Int64(sample.taskRecords))
                registry.makeGauge(name: "kafka_connect_source_task_metrics_source_record_poll_rate", labels: labels)
                    .set(rate(sample.taskRecords, before?.taskRecords))
                registry.makeCounter(name: "kafka_connect_source_task_metrics_source_record_write_total", labels: labels)
                    .increment(by: Int64(sample.produced))
                registry.makeGauge(name: "kafka_connect_source_task_metrics_source_record_write_rate", labels: labels)
                    .set(rate(sample.produced, before?.produced))
            } else {
                registry.makeCounter(name: "kafka_connect_sink_task_metrics_sink_record_read_total", labels: labels)
                    .increment(by: Int64(sample.taskRecords))
                registry.makeGauge(name: "kafka_connect_sink_task_metrics_sink_record_read_rate", labels: labels)
                    .set(rate(sample.taskRecords, before?.taskRecords))
                let batches = counters.task.batches.load(ordering: .relaxed)
                registry.makeGauge(name: "kafka_connect_sink_task_metrics_put_batch_avg_time_ms", labels: labels)
                    .set(batches == 0 ? 0 : Double(sample.busy) / Double(batches) / 1e6)
            }
            registry.makeCounter(name: "sluice_task_busy_seconds_total", labels: labels).increment(by: Double(sample.busy) / 1e9)
            registry.makeCounter(name: "sluice_task_wait_seconds_total", labels: labels).increment(by: Double(sample.wait) / 1e9)
            if let produce = counters.produce {
                registry.makeCounter(name: "sluice_produce_busy_seconds_total", labels: labels)
                    .increment(by: Double(produce.busyNanos.load(ordering: .relaxed)) / 1e9)
            }
            if let outstanding = counters.outstanding {
                registry.makeGauge(name: "sluice_producer_outstanding_records", labels: labels).set(Double(outstanding()))
            }
            registry.makeGauge(name: "sluice_task_busy_fraction", labels: labels).set(min(1, max(0, busyFraction)))
            registry.makeGauge(name: "sluice_task_wait_fraction", labels: labels).set(min(1, max(0, waitFraction)))
            let batches = counters.task.batches.load(ordering: .relaxed)
            registry.makeGauge(name: "sluice_task_batch_fill_records", labels: labels)
                .set(batches == 0 ? 0 : Double(sample.taskRecords) / Double(batches))
        }
        previous = next
        registry.makeGauge(name: "sluice_worker_uptime_seconds", help: "Seconds since the worker started").set(metrics.uptimeSeconds)
        return registry.emitToString()
    }
}

/// A tiny lock wrapper so this file needs nothing beyond the standard library and Foundation's lock.
private final class NSLockShim: @unchecked Sendable {
    private let lock = NSLock()
    func withLock<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}

import Foundation
