import Prometheus
import SluiceCore
import SluiceRuntime

/// The counters of one task that rates are computed from, in this order.
enum TaskReading: Int, CaseIterable {
    /// Records polled (sources) or put (sinks).
    case taskRecords
    /// Records Kafka acknowledged (sources).
    case produced
    /// Nanoseconds the task was busy.
    case busy
    /// Nanoseconds the task waited for a free batch.
    case wait

    /// The current values of `counters`, in this order.
    static func values(of counters: TaskCounters) -> [Double] {
        [
            Double(counters.task.records.load(ordering: .relaxed)),
            Double(counters.produce?.records.load(ordering: .relaxed) ?? 0),
            Double(counters.task.busyNanos.load(ordering: .relaxed)),
            Double(counters.task.waitNanos.load(ordering: .relaxed)),
        ]
    }
}

extension PrometheusExporter {
    /// Each running task's series, labelled `connector` and `task`.
    func renderTasks(_ tasks: [ConnectorTaskID: TaskCounters], now: UInt64, into registry: PrometheusCollectorRegistry)
    {
        rates.keepOnly(Set(tasks.keys))
        for (id, counters) in tasks.sorted(by: { $0.key < $1.key }) {
            let labels = [("connector", id.connector), ("task", String(id.task))]
            let reading = ScrapeRateWindow<ConnectorTaskID>.Reading(time: now, values: TaskReading.values(of: counters))
            let baseline = rates.baseline(for: id, reading)
            func total(_ name: String, _ help: String, _ value: Double) {
                registry.makeCounter(name: name, labels: labels, help: help).increment(by: value)
            }
            func gauge(_ name: String, _ help: String, _ value: Double) {
                registry.makeGauge(name: name, labels: labels, help: help).set(value)
            }
            func rate(_ counter: TaskReading) -> Double { reading.rate(counter.rawValue, since: baseline) }
            let records = reading.values[TaskReading.taskRecords.rawValue]
            let batches = Double(counters.task.batches.load(ordering: .relaxed))
            if counters.isSource {
                total("kafka_connect_source_task_metrics_source_record_poll_total", "Records the task polled", records)
                gauge(
                    "kafka_connect_source_task_metrics_source_record_poll_rate",
                    "Records polled per second over about 30 s", rate(.taskRecords))
                total(
                    "kafka_connect_source_task_metrics_source_record_write_total", "Records Kafka acknowledged",
                    reading.values[TaskReading.produced.rawValue])
                gauge(
                    "kafka_connect_source_task_metrics_source_record_write_rate",
                    "Records acknowledged per second over about 30 s", rate(.produced))
                gauge(
                    "kafka_connect_source_task_metrics_source_record_active",
                    "Records handed to the producer and not yet acknowledged (Kafka's source-record-active-count)",
                    Double(counters.outstanding?() ?? 0))
            } else {
                total("kafka_connect_sink_task_metrics_sink_record_read_total", "Records the task was given", records)
                gauge(
                    "kafka_connect_sink_task_metrics_sink_record_read_rate", "Records given per second over about 30 s",
                    rate(.taskRecords))
                gauge(
                    "kafka_connect_sink_task_metrics_put_batch_avg_time_seconds", "Average time of a put",
                    batches == 0 ? 0 : reading.values[TaskReading.busy.rawValue] / batches / 1e9)
            }
            renderErrors(counters.errors, labels: labels, into: registry)
            total(
                "sluice_task_busy_seconds_total", "Seconds the task spent polling or putting",
                reading.values[TaskReading.busy.rawValue] / 1e9)
            total(
                "sluice_task_wait_seconds_total", "Seconds the task waited for a free batch (backpressure)",
                reading.values[TaskReading.wait.rawValue] / 1e9)
            if let produce = counters.produce {
                total(
                    "sluice_produce_busy_seconds_total", "Seconds spent handing batches to the producer",
                    Double(produce.busyNanos.load(ordering: .relaxed)) / 1e9)
            }
            if let outstanding = counters.outstanding {
                gauge("sluice_producer_outstanding_records", "Records in the producer's queue", Double(outstanding()))
            }
            // Nanoseconds per second: the fraction of the time the task was busy or waited.
            gauge(
                "sluice_task_busy_fraction", "Fraction of the last 30 s the task was busy",
                min(1, max(0, rate(.busy) / 1e9)))
            gauge(
                "sluice_task_wait_fraction", "Fraction of the last 30 s the task waited for a free batch",
                min(1, max(0, rate(.wait) / 1e9)))
            gauge("sluice_task_batch_fill_records", "Average records per batch", batches == 0 ? 0 : records / batches)
        }
    }

    /// Kafka Connect's `task-error-metrics` of one task.
    private func renderErrors(
        _ errors: TaskErrorCounters, labels: [(String, String)], into registry: PrometheusCollectorRegistry
    ) {
        let group = "kafka_connect_task_error_metrics_"
        let totals: [(String, String, Int)] = [
            (
                "total_record_failures_total", "Failed attempts at converting, transforming or a retriable task call",
                errors.recordFailures.load(ordering: .relaxed)
            ),
            (
                "total_record_errors_total", "Records or task calls that ended failed",
                errors.recordErrors.load(ordering: .relaxed)
            ),
            (
                "total_records_skipped_total", "Records skipped under errors.tolerance=all",
                errors.recordsSkipped.load(ordering: .relaxed)
            ),
            ("total_retries_total", "Retries of task calls", errors.retries.load(ordering: .relaxed)),
            (
                "total_errors_logged_total", "Failures logged under errors.log.enable",
                errors.errorsLogged.load(ordering: .relaxed)
            ),
            (
                "deadletterqueue_produce_requests_total", "Records sent to the dead-letter topic",
                errors.deadLetterRequests.load(ordering: .relaxed)
            ),
            (
                "deadletterqueue_produce_failures_total", "Dead letters Kafka did not take",
                errors.deadLetterFailures.load(ordering: .relaxed)
            ),
        ]
        for (name, help, value) in totals {
            registry.makeCounter(name: group + name, labels: labels, help: help).increment(by: Int64(value))
        }
        registry.makeGauge(
            name: group + "last_error_timestamp", labels: labels,
            help: "When the latest failure happened, ms since the Unix epoch (0: none)"
        )
        .set(Double(errors.lastErrorTimestampMs.load(ordering: .relaxed)))
    }
}
