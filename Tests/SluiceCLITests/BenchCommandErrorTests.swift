import Foundation
import Testing

/// Every bad input to `sluice bench` is one line on stderr and a non-zero exit.
@Suite("sluice bench: bad input")
struct BenchCommandErrorTests {
    @Test("bad input is a one-line error naming the problem", arguments: [
        (["bench", "--tasks", "1,x"], "invalid value 'x' in --tasks: expected a positive integer"),
        (["bench", "--tasks", "1,,2"], "empty element in the list"),
        (["bench", "--tasks", "0"], "invalid value '0' in --tasks"),
        (["bench", "--compression", "none,gzipx"], "invalid value 'gzipx' in --compression: expected one of none, gzip, snappy, lz4, zstd"),
        (["bench", "--mode", "fast"], "invalid value 'fast' in --mode"),
        (["bench", "--produce-call", "record,many"], "invalid value 'many' in --produce-call: expected one of automatic, batch, record"),
        (["bench", "-X", "no.such.property=1"], "invalid librdkafka property 'no.such.property=1'"),
        (["bench", "-X", "linger.ms=soon"], "invalid librdkafka property 'linger.ms=soon'"),
        (["bench", "-X", "linger.ms"], "expected name=value"),
        (["bench", "--record-size", "2000000", "--batch-bytes", "1048576"], "does not fit in a batch arena of 1048576 bytes"),
        (["bench", "--record-size", "8"], "invalid value '8' for --record-size"),
        (["bench", "--cpus", "0-x"], "invalid CPU list '0-x'"),
        (["bench", "--cpus", "4000"], "CPU 4000 is not available"),
        (["bench", "--idle", "nap"], "invalid value 'nap' for --idle"),
        (["broker", "--topic", "t:zero"], "invalid value 't:zero' for --topic"),
        (["bench", "--value-format", "xml"], "invalid value 'xml' for --value-format"),
        (["bench", "--pipeline", "fast"], "invalid value 'fast' in --pipeline"),
        (["bench", "--verify", "--value-format", "json"], "--verify reads the binary datagen stamp"),
        (["bench", "-C", "transforms"], "invalid value 'transforms' for --connector-config: expected name=value"),
        (["bench", "--repeat", "0"], "invalid value '0' for --repeat"),
    ])
    func oneLineError(arguments: [String], message: String) throws {
        let outcome = try SluiceProcess.run(arguments, timeout: 60)
        #expect(outcome.status != 0)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("sluice: error: "))
        #expect(outcome.stderr.contains(message), "stderr: \(outcome.stderr)")
    }

    @Test("an unreachable cluster fails within the connect timeout, naming the address")
    func unreachable() throws {
        let outcome = try SluiceProcess.run(
            ["bench", "--bootstrap-servers", "127.0.0.1:1", "--connect-timeout-ms", "1500"], timeout: 60)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("cannot reach Kafka at 127.0.0.1:1 within 1500 ms"), "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1, "stderr: \(outcome.stderr)")
        #expect(outcome.seconds < 15)
    }
}
