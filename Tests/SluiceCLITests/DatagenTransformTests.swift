import Foundation
import SluiceConnectors
import SluiceKafka
import SluiceRuntime
import Testing

/// A field transform on datagen's JSON values: the runner sets up transforms before
/// the task starts, so it must learn the value format from the config.
@Suite("datagen with value.format=json and field transforms")
struct DatagenTransformTests {
    @Test("InsertField adds its field to every datagen JSON value (it failed with 'got a bytes' before the task had started)")
    func insertField() throws {
        let cluster = try EmbeddedKafka()
        try cluster.createTopic("gen-json", partitions: 1)
        let worker = Worker(
            settings: Worker.Settings(config: try WorkerConfig(properties: [
                "bootstrap.servers": cluster.bootstrapServers, "producer.log_level": "0",
            ])),
            registry: BuiltinConnectors.registry, offsets: nil, log: { _ in })
        let runner = try worker.startTask(
            .init(connector: "gen", task: 0),
            config: [
                "connector.class": "datagen", "topic": "gen-json", "iterations": "50", "value.format": "json",
                "value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "false",
                "transforms": "source", "transforms.source.type": "org.apache.kafka.connect.transforms.InsertField$Value",
                "transforms.source.static.field": "origin", "transforms.source.static.value": "datagen",
            ])
        runner.join()
        #expect(runner.state != .failed, "\(String(describing: runner.error))")

        var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        config["log_level"] = "0"
        let consumer = try Consumer(configuration: config)
        try consumer.assign(topic: "gen-json", partitions: [0])
        let batch = ConsumedBatch(capacity: 100)
        var origins: [String?] = []
        let deadline = Date().addingTimeInterval(20)
        while origins.count < 50 && Date() < deadline {
            let got = try consumer.poll(into: batch, timeoutMs: 100)
            for index in 0..<got where batch[index].error == nil {
                let object = batch[index].value.flatMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
                origins.append(object?["origin"] as? String)
            }
            batch.releaseMessages()
        }
        #expect(origins.count == 50)
        #expect(origins.allSatisfy { $0 == "datagen" })
    }
}
