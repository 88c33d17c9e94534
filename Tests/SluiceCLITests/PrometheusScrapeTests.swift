import Foundation
import Testing

/// A real Prometheus (Debian's package, started privately) scrapes a running worker:
/// `promtool` accepts the `/metrics` text and every query of the Grafana dashboard in
/// `docs/grafana/` returns data. Without prometheus installed the test fails, saying so.
@Suite("A real Prometheus scrapes a worker")
struct PrometheusScrapeTests {
    static let dashboardPath = RestAPITests.repositoryRoot + "/docs/grafana/sluice-workers.json"

    /// Every `expr` of the dashboard's panels.
    static func dashboardQueries() throws -> [String] {
        let dashboard = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dashboardPath)))
        var queries: [String] = []
        func collect(_ node: Any) {
            if let object = node as? [String: Any] {
                for (key, value) in object {
                    if key == "expr", let expression = value as? String {
                        queries.append(expression)
                    } else {
                        collect(value)
                    }
                }
            } else if let array = node as? [Any] {
                array.forEach(collect)
            }
        }
        collect(dashboard)
        return queries
    }

    /// `promtool check metrics` on `text`: its exit status and what it said.
    static func promtoolCheck(_ text: String) throws -> (status: Int32, output: String) {
        let promtool = Process()
        promtool.executableURL = URL(fileURLWithPath: try PrometheusProcess.locate("promtool"))
        promtool.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        promtool.standardInput = input
        promtool.standardOutput = output
        promtool.standardError = output
        try promtool.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        promtool.waitUntilExit()
        return (promtool.terminationStatus, said)
    }

    @Test(
        "promtool accepts /metrics, and every query of the Grafana dashboard returns data from a Prometheus scraping the worker"
    )
    func dashboard() throws {
        // Fail, not skip, when the tools are missing: the install script brings them.
        _ = try PrometheusProcess.locate("prometheus")
        _ = try PrometheusProcess.locate("promtool")
        let queries = try Self.dashboardQueries()
        #expect(queries.count >= 15, "the dashboard's queries: \(queries)")

        let folder = try TemporaryFolder()
        let broker = try BrokerProcess(topics: ["gen-out:1"])
        try folder.write(
            "gen.json",
            #"{"name": "gen", "config": {"connector.class": "datagen", "topic": "gen-out", "max.records.per.sec": "500"}}"#
        )
        try folder.write(
            "drain.json", #"{"name": "drain", "config": {"connector.class": "null", "topics": "gen-out"}}"#)
        let worker = try WorkerProcess(
            folder: folder, name: "w",
            properties:
                "bootstrap.servers=\(broker.bootstrapServers)\nlisteners=http://127.0.0.1:0\noffset.storage.file.filename=\(folder.file("offsets.json"))\noffset.flush.interval.ms=500\n",
            command: ["standalone"], after: [folder.file("gen.json"), folder.file("drain.json")])

        // Both tasks' series are there once the sink has been given records.
        var text = ""
        let flowing = try eventually(seconds: 60) {
            text = try RestClient.call("GET", worker.url + "metrics").text
            let read = text.split(separator: "\n").first {
                $0.hasPrefix(#"kafka_connect_sink_task_metrics_sink_record_read_total{connector="drain",task="0"} "#)
            }
            return (read?.split(separator: " ").last.flatMap { Double($0) } ?? 0) > 0
        }
        #expect(flowing, "the sink never read:\n\(text)\n\(worker.log)")
        let check = try Self.promtoolCheck(text)
        #expect(check.status == 0, "promtool check metrics: \(check.output)")

        let prometheus = try PrometheusProcess(folder: folder, target: worker.workerID)
        var empty = queries
        let answered = try eventually(seconds: 60) {
            empty = try empty.filter { try prometheus.query($0).isEmpty }
            return empty.isEmpty
        }
        #expect(answered, "no data for \(empty); targets: \(prometheus.targets)\n\(prometheus.log)")
    }
}
