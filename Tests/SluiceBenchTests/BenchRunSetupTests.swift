import SluiceKafka
import SluiceRuntime
import Testing

@testable import SluiceBench

/// How a plan becomes the settings of its rows.
@Suite("Benchmark rows from a plan")
struct BenchRunSetupTests {
    @Test("rows go by record size, then tasks, codec, mode, produce call and pipeline")
    func order() {
        var plan = BenchPlan()
        plan.recordSizes = [100, 1000]
        plan.taskCounts = [1, 2]
        plan.compressions = [.none, .zstd]
        plan.modes = [.direct, .lane]
        plan.pipelines = [.zeroCopy, .converted]
        let rows = BenchRunSetup.rows(of: plan, producer: KafkaConfiguration())
        #expect(rows.count == 32)
        #expect(rows.prefix(3).map(\.label) == ["direct", "direct+conv", "lane"])
        #expect(rows.map(\.recordSize) == Array(repeating: 100, count: 16) + Array(repeating: 1000, count: 16))
        #expect(rows[8].tasks == 2 && rows[8].codec == "none")
        #expect(rows[4].codec == "zstd" && rows[4].producer["compression.type"] == "zstd")
        #expect(rows.allSatisfy { $0.records == plan.records && $0.keyCardinality == 1000 })
    }

    @Test("the converted pipeline gets the plan's connector settings, or a JsonConverter and one InsertField")
    func converted() {
        var plan = BenchPlan()
        plan.pipelines = [.converted]
        let defaults = BenchRunSetup.rows(of: plan, producer: KafkaConfiguration())[0].connectorConfig
        #expect(defaults["value.converter"] == "org.apache.kafka.connect.json.JsonConverter")
        #expect(defaults["transforms.stamp.type"] == "org.apache.kafka.connect.transforms.InsertField$Value")
        plan.connectorConfig = ["value.converter": "org.apache.kafka.connect.storage.StringConverter"]
        #expect(BenchRunSetup.rows(of: plan, producer: KafkaConfiguration())[0].connectorConfig == plan.connectorConfig)
    }

    @Test("codec none leaves a codec the producer names; any other codec sets compression.type")
    func codecs() {
        var plan = BenchPlan()
        plan.compressions = [.none, .gzip]
        var producer = KafkaConfiguration()
        producer["compression.codec"] = "snappy"
        let rows = BenchRunSetup.rows(of: plan, producer: producer)
        #expect(rows[0].producer["compression.type"] == nil)
        #expect(rows[1].producer["compression.type"] == "gzip")
        #expect(BenchRunSetup.rows(of: plan, producer: KafkaConfiguration())[0].producer["compression.type"] == "none")
    }
}
