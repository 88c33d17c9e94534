// A user-written source task on Sluice's data plane, in a few lines.
//
//   swift run TickerSource                      # starts an embedded cluster itself
//   swift run TickerSource 127.0.0.1:9092       # or uses a real one
import SluiceCore
import SluiceKafka
import SluiceRuntime

/// Writes one million 8-byte counters, each straight into the batch arena.
final class Ticker: SourceTask {
    private var next: UInt64 = 0
    private(set) var acknowledged = 0

    func poll(into batch: RecordBatch) throws -> SourcePollResult {
        while next < 1_000_000 {
            let value = next
            guard try batch.append(keyLength: -1, valueLength: 8, fill: { _, bytes in
                bytes.storeBytes(of: value.littleEndian, as: UInt64.self)
            }) else { return .batchFull }
            next += 1
        }
        return .endOfData
    }

    func commit(batch: RecordBatch) {
        acknowledged += batch.count  // every record of this batch is in Kafka
    }
}

let arguments = CommandLine.arguments.dropFirst()
let cluster = arguments.isEmpty ? try EmbeddedKafka() : nil
let servers = arguments.first ?? cluster!.bootstrapServers

let ticker = Ticker()
let runner = try SourceTaskRunner(
    task: ticker, context: TaskContext(connectorName: "ticker", taskID: 0, config: [:]),
    topic: "ticks", producerConfiguration: KafkaConfiguration(bootstrapServers: servers))
let start = MonotonicClock.nanoseconds()
try runner.start()
runner.join()
let seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9
print("\(runner.state.rawValue): \(ticker.acknowledged) records acknowledged in \(String(format: "%.2f", seconds)) s")
if let error = runner.error { print("error: \(error)") }

import Foundation
