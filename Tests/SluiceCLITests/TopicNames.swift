import Foundation
import SluiceKafka

/// Reads the `name` field of every record in some topics, from their start.
final class TopicNames {
    private let consumer: Consumer
    private let batch = ConsumedBatch(capacity: 2_000)
    private var names: [String] = []

    init(_ bootstrap: String, topics: [String]) throws {
        var config = KafkaConfiguration(bootstrapServers: bootstrap)
        config["log_level"] = "0"
        config["group.id"] = "sql-check-\(UInt32.random(in: 0...UInt32.max))"
        config["auto.offset.reset"] = "earliest"
        consumer = try Consumer(configuration: config)
        try consumer.subscribe(topics: topics)
    }

    /// Every name read so far, once `done` holds or `seconds` passed.
    func read(until done: ([String]) -> Bool, seconds: TimeInterval = 30) -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        while !done(names) && Date() < deadline {
            guard let got = try? consumer.poll(into: batch, timeoutMs: 100) else { continue }
            for index in 0..<got where batch[index].error == nil {
                guard let value = batch[index].value,
                    let object = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any],
                    let name = object["name"] as? String
                else { continue }
                names.append(name)
            }
            batch.releaseMessages()
        }
        return names
    }
}
