import Foundation
import SluiceHTTP

/// Debian's `prometheus`, started privately for a test: on a free loopback port, with
/// its data in the test's folder and a generated config that scrapes one target's
/// `/metrics` every second. Never the machine's service. Killed when the test ends.
final class PrometheusProcess {
    let process = Process()
    /// `http://127.0.0.1:PORT/`.
    let url: String
    let logPath: String

    /// Why a tool the test needs is not there.
    struct Missing: Error, CustomStringConvertible {
        let tool: String
        var description: String {
            "\(tool) is not installed: scripts/install-deps.sh (run by make test) installs Debian's prometheus package, which brings prometheus and promtool"
        }
    }

    /// The path of `tool` on `PATH` (Debian's package puts both tools in /usr/bin).
    static func locate(_ tool: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        for directory in path.split(separator: ":")
        where FileManager.default.isExecutableFile(atPath: "\(directory)/\(tool)") {
            return "\(directory)/\(tool)"
        }
        throw Missing(tool: tool)
    }

    /// Starts Prometheus scraping `target` (`host:port`) and waits until it is ready.
    init(folder: TemporaryFolder, target: String) throws {
        let binary = try Self.locate("prometheus")
        let port = try BrokerPortTests.freePorts(1)
        url = "http://127.0.0.1:\(port)/"
        try folder.write(
            "prometheus.yml",
            """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: sluice
                metrics_path: /metrics
                static_configs:
                  - targets: ['\(target)']
            """)
        logPath = folder.file("prometheus.log")
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--config.file=\(folder.file("prometheus.yml"))", "--storage.tsdb.path=\(folder.file("prometheus-data"))",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ]
        process.standardOutput = FileHandle(forWritingAtPath: logPath)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let ready = eventually(seconds: 30) {
            (try? RestClient.call("GET", url + "-/ready", timeoutSeconds: 2).status) == 200
        }
        guard ready else { throw StartFailure(log: log) }
    }

    struct StartFailure: Error, CustomStringConvertible {
        let log: String
        var description: String { "prometheus did not become ready:\n\(log)" }
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The result of the instant query `expression` (`data.result` of /api/v1/query).
    func query(_ expression: String) throws -> [[String: Any]] {
        let encoded = expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? expression
        let reply = try RestClient.call("GET", url + "api/v1/query?query=" + encoded, timeoutSeconds: 10)
        guard reply.status == 200, reply.object["status"] as? String == "success" else {
            throw QueryFailure(expression: expression, reply: reply.text)
        }
        return (reply.object["data"] as? [String: Any])?["result"] as? [[String: Any]] ?? []
    }

    struct QueryFailure: Error, CustomStringConvertible {
        let expression: String
        let reply: String
        var description: String { "Prometheus refused the query \(expression): \(reply)" }
    }

    /// What Prometheus says of its scrape targets (health, last error), for a failure message.
    var targets: String {
        (try? RestClient.call("GET", url + "api/v1/targets", timeoutSeconds: 5).text) ?? "unreachable"
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
