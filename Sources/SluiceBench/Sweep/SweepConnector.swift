import Foundation
import SluiceHTTP

/// The connector of one sweep row, driven through the workers' REST API.
struct SweepConnector {
    let name: String
    let fleet: WorkerFleet

    /// The REST API of the first worker (any worker answers any request).
    var url: String { fleet.workers[0].url }

    /// Creates the connector, retrying while the group is still forming (409).
    func create(config: [String: String]) throws {
        let deadline = Date().addingTimeInterval(90)
        while true {
            let reply = try BlockingHTTPClient.call("POST", url + "connectors", json: ["name": name, "config": config])
            if reply.status == 201 { return }
            guard reply.status == 409, Date() < deadline else {
                let tail = reply.status == 409 ? fleet.logTail(0) : ""
                throw BenchError.workerFailed("creating the connector failed (\(reply.status)): \(reply.object["message"] as? String ?? reply.text)", logTail: tail)
            }
            try fleet.checkRunning("while the group formed")
            usleep(200_000)
        }
    }

    /// The tasks' states, as its status says them now.
    func states() -> [String] {
        guard let reply = try? BlockingHTTPClient.call("GET", url + "connectors/\(name)/status", timeoutSeconds: 10) else { return [] }
        return (reply.object["tasks"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String }
    }

    /// Waits until every task runs; a worker that dies or a task that fails stops the sweep.
    func waitForTasks(count: Int) throws {
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            let now = states()
            if now.count == count && now.allSatisfy({ $0 == "RUNNING" || $0 == "STOPPED" }) { return }
            if now.contains("FAILED") {
                throw BenchError.workerFailed("a task FAILED", logTail: fleet.workers.indices.map { fleet.logTail($0) }.joined(separator: "\n"))
            }
            try fleet.checkRunning("before its tasks ran")
            usleep(200_000)
        }
        throw BenchError.workerFailed("the tasks did not all start within 90 s (states: \(states()))", logTail: fleet.logTail(0))
    }

    /// Waits until every task of a bounded run has ended.
    func waitForFinish() throws {
        let deadline = Date().addingTimeInterval(600)
        while Date() < deadline {
            if states().allSatisfy({ $0 == "STOPPED" }) { return }
            usleep(200_000)
        }
        throw BenchError.runFailed("the tasks did not finish within 600 s")
    }

    /// Deletes it, ignoring the answer (the workers stop next).
    func delete() {
        _ = try? BlockingHTTPClient.call("DELETE", url + "connectors/\(name)", timeoutSeconds: 10)
    }
}
