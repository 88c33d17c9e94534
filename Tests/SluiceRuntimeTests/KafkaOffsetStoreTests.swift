import SluiceKafka
@testable import SluiceRuntime
import Testing

/// Source offsets in an offset topic of the embedded cluster, written by one store and
/// read by another, as two workers of one group do.
@Suite("KafkaOffsetStore on the embedded cluster")
struct KafkaOffsetStoreTests {
    struct Pair {
        let cluster: EmbeddedKafka
        let writer: KafkaOffsetStore
        let config: KafkaConfiguration

        init() throws {
            cluster = try EmbeddedKafka()
            try cluster.createTopic("offsets", partitions: 3)
            var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
            config["log_level"] = "0"
            self.config = config
            writer = KafkaOffsetStore(topic: "offsets", producer: try MessageProducer(configuration: config))
        }

        /// A second worker's store, built from everything in the topic now.
        func reader() throws -> KafkaOffsetStore {
            let store = KafkaOffsetStore(topic: "offsets", producer: try MessageProducer(configuration: config))
            try read(into: store)
            return store
        }

        func read(into store: KafkaOffsetStore) throws {
            var reading = config
            reading["fetch.wait.max.ms"] = "50"
            try TopicReader(topic: "offsets", configuration: reading).readToEnd(timeoutMs: 10_000) { store.apply($0) }
        }
    }

    @Test("flushed offsets are read by another worker under Kafka Connect's key; unflushed ones are not")
    func flushAndRead() throws {
        let pair = try Pair()
        pair.writer.record(connector: "c", partition: "file-a", offset: 10)
        pair.writer.record(connector: "c", partition: "file-a", offset: 20)
        pair.writer.record(connector: "c", partition: "file-b", offset: 5)
        #expect(try pair.reader().offsets(of: "c").isEmpty, "nothing is in the topic before a flush")
        try pair.writer.flush()
        #expect(try pair.reader().offsets(of: "c") == ["file-a": 20, "file-b": 5])
        #expect(String(decoding: KafkaOffsetStore.key(connector: "c", partition: "file-a"), as: UTF8.self) == #"["c",{"partition":"file-a"}]"#)
    }

    @Test("an offset of several fields under a connector's own partition object is stored as Kafka Connect's JDBC source stores it and read back")
    func structured() throws {
        let pair = try Pair()
        let partition = try #require(SourcePartitionName.text(["protocol": "1", "table": "mydb.orders"]))
        let offset = SourceOffset(["incrementing": 42, "timestamp": 1_700_000_000_000, "timestamp_nanos": 5])
        pair.writer.record(connector: "jdbc", partition: partition, offset: offset)
        try pair.writer.flush()
        #expect(try pair.reader().offsets(of: "jdbc") == [partition: offset])
        #expect(String(decoding: KafkaOffsetStore.key(connector: "jdbc", partition: partition), as: UTF8.self) == #"["jdbc",{"protocol":"1","table":"mydb.orders"}]"#)
    }

    @Test("a worker's own offsets win over older records until it releases the connector")
    func localWins() throws {
        let pair = try Pair()
        pair.writer.record(connector: "c", partition: "p", offset: 100)
        try pair.writer.flush()
        let other = try pair.reader()
        other.record(connector: "c", partition: "p", offset: 500)
        try pair.read(into: other)
        #expect(other.offsets(of: "c") == ["p": 500], "the topic's older 100 does not move a running task back")
        other.release(connector: "c")
        pair.writer.record(connector: "c", partition: "p", offset: 700)
        try pair.writer.flush()
        try pair.read(into: other)
        #expect(other.offsets(of: "c") == ["p": 700], "after release the topic decides")
    }

    @Test("set and reset are written at once and seen by other workers")
    func setAndReset() throws {
        let pair = try Pair()
        try pair.writer.set(connector: "c", offsets: ["p": 42, "q": 7])
        #expect(try pair.reader().offsets(of: "c") == ["p": 42, "q": 7])
        try pair.writer.reset(connector: "c")
        #expect(pair.writer.offsets(of: "c").isEmpty)
        #expect(try pair.reader().offsets(of: "c").isEmpty, "tombstones delete the offsets for every reader")
    }

    @Test("records that are not offsets are ignored")
    func foreignRecords() throws {
        let store = KafkaOffsetStore(topic: "offsets", producer: try MessageProducer(configuration: KafkaConfiguration(bootstrapServers: "127.0.0.1:1")))
        for key in ["not json", #"["only-one"]"#, #"["c", "not an object"]"#] {
            store.apply(TopicReader.Entry(partition: 0, offset: 0, key: Array(key.utf8), value: Array(#"{"offset": 1}"#.utf8)))
        }
        for value in [#"{"offset": "x"}"#, #"{"offset": 1.5}"#, "[]"] {
            store.apply(TopicReader.Entry(partition: 0, offset: 0, key: Array(#"["c", {"partition": "p"}]"#.utf8), value: Array(value.utf8)))
        }
        #expect(store.all.isEmpty)
        // Any partition object is a partition, as in Kafka Connect.
        store.apply(TopicReader.Entry(partition: 0, offset: 0, key: Array(#"["c", {"table": "t"}]"#.utf8), value: Array(#"{"incrementing": 3}"#.utf8)))
        #expect(store.all == ["c": [#"{"table":"t"}"#: SourceOffset(["incrementing": 3])]])
    }
}
