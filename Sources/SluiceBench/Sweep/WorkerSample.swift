import Foundation
import SluiceHTTP

/// What one scrape of every worker's `/metrics` and `/proc` says, at one instant.
struct WorkerSample {
    var time: Double
    var written: Double = 0
    /// Records sink tasks have read (`sink-record-read-total`).
    var read: Double = 0
    var busySeconds: Double = 0
    var waitSeconds: Double = 0
    var produceSeconds: Double = 0
    var outstanding: Double = 0
    var tasks = 0
    var workerCPU: Double = 0
    /// Seconds the workers' threads waited for a core (run-queue delay).
    var workerCPUWait: Double = 0
    var brokerCPU: Double = 0

    /// Scrapes `urls` and reads the CPU time of `workerPIDs` and `brokerPID`.
    static func take(urls: [String], workerPIDs: [Int32], brokerPID: Int32?) -> WorkerSample {
        var sample = WorkerSample(time: Date().timeIntervalSince1970)
        var taskLabels = Set<String>()
        for url in urls {
            guard let reply = try? BlockingHTTPClient.call("GET", url + "metrics", timeoutSeconds: 10), reply.status == 200 else { continue }
            for line in reply.text.split(separator: "\n") where !line.hasPrefix("#") {
                guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
                let series = line[..<space]
                let name = series.prefix { $0 != "{" }
                switch name {
                case "kafka_connect_source_task_metrics_source_record_write_total": sample.written += value
                case "kafka_connect_sink_task_metrics_sink_record_read_total":
                    sample.read += value
                    taskLabels.insert(url + series)
                case "sluice_task_busy_seconds_total":
                    sample.busySeconds += value
                    taskLabels.insert(url + series)
                case "sluice_task_wait_seconds_total": sample.waitSeconds += value
                case "sluice_produce_busy_seconds_total": sample.produceSeconds += value
                case "sluice_producer_outstanding_records": sample.outstanding += value
                default: break
                }
            }
        }
        sample.tasks = taskLabels.count
        sample.workerCPU = workerPIDs.compactMap(ProcessCPU.seconds(pid:)).reduce(0, +)
        sample.workerCPUWait = workerPIDs.compactMap(ProcessCPU.waitingSeconds(pid:)).reduce(0, +)
        sample.brokerCPU = brokerPID.flatMap(ProcessCPU.seconds(pid:)) ?? 0
        return sample
    }
}
