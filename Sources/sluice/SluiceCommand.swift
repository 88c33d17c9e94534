import ArgumentParser
import SluiceBench
#if canImport(Glibc)
import Glibc
#endif

/// `sluice`: the command line of the Sluice data-plane engine.
struct SluiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A Kafka Connect-style data-plane engine: benchmarks, an embedded Kafka cluster, workers.",
        subcommands: [BenchCommand.self, BrokerCommand.self, StandaloneCommand.self, WorkerCommand.self]
    )
}

/// Runs the command; any error is printed as one line on stderr with a non-zero exit
/// (a worker's failure adds the tail of its log on the lines after).
@main
enum SluiceMain {
    static func main() {
        do {
            var command = try SluiceCommand.parseAsRoot()
            try command.run()
        } catch {
            let code = SluiceCommand.exitCode(for: error)
            if code == .success || error is CleanExit {
                SluiceCommand.exit(withError: error)
            }
            if case BenchError.workerFailed = error {
                FileHandleOutput.standardError.write("sluice: error: \(error)\n")
                exit(1)
            }
            let message = SluiceCommand.message(for: error)
                .split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? "\(error)"
            let trimmed = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
            FileHandleOutput.standardError.write("sluice: error: \(trimmed)\n")
            exit(code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}
