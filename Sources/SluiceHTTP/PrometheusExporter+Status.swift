import Prometheus
import SluiceRuntime

extension PrometheusExporter {
    /// The per-connector task counts Kafka Connect's `connect-worker-metrics` has,
    /// by the state they count (`connector-running-task-count` counts RUNNING ...).
    static let taskCountStates: [(name: String, state: StatusState)] = [
        ("running", .running), ("paused", .paused), ("failed", .failed), ("unassigned", .unassigned),
        ("restarting", .restarting),
    ]

    /// Connector and task statuses as state sets, and each connector's task counts by
    /// state, for what runs on this worker: a connector whose status names this worker,
    /// and the tasks assigned to it or whose status names it.
    func renderStatuses(_ herder: any Herder, into registry: PrometheusCollectorRegistry) {
        let worker = herder.workerID
        let assigned = Set(herder.assignedTasks)
        for name in herder.connectorNames() {
            guard let status = try? herder.status(name) else { continue }
            let connector = [("connector", name)]
            if status.connector.workerID == worker {
                stateSet(
                    "kafka_connect_connector_metrics_status",
                    "The connector's state (Kafka's connector-metrics status)", labels: connector,
                    state: status.connector.state, into: registry)
            }
            let here = status.tasks.filter {
                assigned.contains(ConnectorTaskID(connector: name, task: $0.id)) || $0.status.workerID == worker
            }
            for task in here {
                stateSet(
                    "kafka_connect_connector_task_metrics_status",
                    "The task's state (Kafka's connector-task-metrics status)",
                    labels: connector + [("task", String(task.id))], state: task.status.state, into: registry)
            }
            guard !here.isEmpty else { continue }
            registry.makeGauge(
                name: "kafka_connect_connect_worker_metrics_connector_total_tasks", labels: connector,
                help: "The connector's tasks on this worker (Kafka's connector-total-task-count)"
            )
            .set(Double(here.count))
            for (word, state) in Self.taskCountStates {
                registry.makeGauge(
                    name: "kafka_connect_connect_worker_metrics_connector_\(word)_tasks", labels: connector,
                    help:
                        "The connector's \(state.rawValue) tasks on this worker (Kafka's connector-\(word)-task-count)"
                )
                .set(Double(here.filter { $0.status.state == state }.count))
            }
        }
    }

    /// One series per state, labelled `status` with Kafka's lower-case name, 1 for `state`.
    private func stateSet(
        _ name: String, _ help: String, labels: [(String, String)], state: StatusState,
        into registry: PrometheusCollectorRegistry
    ) {
        for candidate in StatusState.allCases {
            registry.makeGauge(name: name, labels: labels + [("status", candidate.rawValue.lowercased())], help: help)
                .set(candidate == state ? 1.0 : 0.0)
        }
    }
}
