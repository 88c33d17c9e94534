import SluiceKafka
#if canImport(Glibc)
import Glibc
#endif

/// The stdin command loop of `sluice broker --control-stdin`; runs on one thread.
/// ``ChildBroker`` speaks the other end.
package final class BrokerControl: Sendable {
    let broker: InProcessBroker

    /// Serves commands on `cluster`.
    package init(cluster: EmbeddedKafka) {
        broker = InProcessBroker(cluster: cluster)
    }

    /// Answers commands until stdin closes, then stops the process with SIGTERM.
    package func serve() {
        while let line = readLine(strippingNewline: true) {
            FileHandleOutput.standardOutput.write(answer(line) + "\n")
        }
        kill(getpid(), SIGTERM)
    }

    /// The answer to one command line: `ok`, `result ...` or `error: ...`.
    func answer(_ line: String) -> String {
        let words = line.split(separator: " ").map(String.init)
        let cluster = broker.cluster
        do {
            switch words.first {
            case "create" where words.count == 3 || words.count == 4:
                guard let partitions = Int(words[2]), let factor = words.count == 4 ? Int(words[3]) : 1 else {
                    return "error: usage: create TOPIC PARTITIONS [REPLICATION_FACTOR]"
                }
                try cluster.createTopic(words[1], partitions: partitions, replicationFactor: factor)
            case "down" where words.count == 2 || (words.count == 3 && words[2] == "keep-leaders"):
                guard let id = Int(words[1]) else { return "error: usage: down BROKER_ID [keep-leaders]" }
                try cluster.setBrokerDown(id, electLeaders: words.count == 2)
            case "up" where words.count == 2:
                guard let id = Int(words[1]) else { return "error: usage: up BROKER_ID" }
                try cluster.setBrokerUp(id)
            case "watch" where words.count == 3:
                let counts = words[2] == "-" ? [] : words[2].split(separator: ",").compactMap { Int($0) }
                try broker.watch(words[1], expected: counts)
            case "result" where words.count == 2:
                let outcome = try broker.result(words[1])
                let r = outcome.report
                return "result lost=\(r.lost) duplicates=\(r.duplicates) unexpected=\(r.unexpected) seen=\(r.seen) truncated=\(outcome.truncated ? 1 : 0)"
            default:
                return "error: unknown command '\(line)'; expected create, down, up, watch or result"
            }
            return "ok"
        } catch {
            return "error: \(error)"
        }
    }
}
