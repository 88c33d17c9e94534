import SluiceRuntime
import Testing

/// Exactly-once requests are refused until Sluice has exactly-once delivery.
@Suite("ExactlyOnceSupport")
struct ExactlyOnceSupportTests {
    @Test("a connector's exactly.once.support: requested in any case is accepted, required is refused saying why, others are invalid")
    func connector() throws {
        #expect(ExactlyOnceSupport.connectorProblems(in: [:]).isEmpty)
        #expect(ExactlyOnceSupport.connectorProblems(in: ["exactly.once.support": "Requested"]).isEmpty)
        let required = ExactlyOnceSupport.connectorProblems(in: ["exactly.once.support": "REQUIRED"])
        #expect(required.map(\.name) == ["exactly.once.support"])
        #expect(required.first?.message.contains("exactly-once delivery is not supported by Sluice yet") == true, "\(required)")
        let other = ExactlyOnceSupport.connectorProblems(in: ["exactly.once.support": "always"])
        #expect(other.first?.message.contains("one of (case insensitive): requested, required") == true, "\(other)")
    }

    @Test("validation of a source or a sink config refuses exactly.once.support=required with the connector's other problems")
    func validation() throws {
        for className in ["numbers", "recording-sink"] {
            let settings = ["name": "c", "connector.class": className, "topic": "t", "topics": "t", "exactly.once.support": "required", "tasks.max": "0"]
            let problems = try ConnectorValidation.check(settings, registry: .testing).problems
            #expect(Set(problems.map(\.name)).isSuperset(of: ["exactly.once.support", "tasks.max"]), "\(className): \(problems)")
        }
    }

    @Test("a worker's exactly.once.source.support=enabled is refused; disabled and preparing are accepted")
    func worker() throws {
        let base = ["bootstrap.servers": "127.0.0.1:9092"]
        for accepted in ["disabled", "Preparing"] {
            _ = try WorkerConfig(properties: base.merging(["exactly.once.source.support": accepted]) { $1 })
        }
        do {
            _ = try WorkerConfig(properties: base.merging(["exactly.once.source.support": "ENABLED"]) { $1 })
            Issue.record("enabled was accepted")
        } catch let RuntimeError.invalidConnectorConfig(_, problems) {
            #expect(problems.map(\.name) == ["exactly.once.source.support"])
            #expect(problems.first?.message.contains("not supported by Sluice yet") == true, "\(problems)")
        }
    }
}
