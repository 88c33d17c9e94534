import Foundation
import SluiceKafka
import Synchronization

/// Source offsets in Kafka's offset topic (`offset.storage.topic`), as Kafka Connect
/// keeps them: the key is `["connector",{"partition":"name"}]` (or the partition
/// object a connector names, see ``SourcePartitionName``), the value the offset's
/// object (`{"offset":N}`), a deleted offset is a tombstone. The topic is compacted, so the
/// latest record per key is the committed offset.
///
/// Every worker reads the whole topic (``apply(_:)``) so that a task moving to it
/// resumes where the previous worker's last flush left it. Offsets this worker
/// recorded itself and has not yet handed back (``release(connector:)``) win over
/// what the topic says, so an older record read late never moves a running task back.
///
/// Thread-safety: every method may be called from any thread (a mutex guards the map).
public final class KafkaOffsetStore: OffsetStore {
    /// The offset topic.
    public let topic: String
    private let producer: MessageProducer
    private struct State {
        var offsets: [String: [String: SourceOffset]] = [:]
        var dirty: Set<Key> = []
        var local: Set<Key> = []
    }
    private struct Key: Hashable {
        var connector: String
        var partition: String
    }
    private let state = Mutex(State())

    /// A store writing to `topic` through `producer`.
    public init(topic: String, producer: MessageProducer) {
        self.topic = topic
        self.producer = producer
    }

    public func offsets(of connector: String) -> [String: SourceOffset] {
        state.withLock { $0.offsets[connector] ?? [:] }
    }

    /// Every connector's offsets.
    public var all: [String: [String: SourceOffset]] { state.withLock { $0.offsets } }

    public func record(connector: String, partition: String, offset: SourceOffset) {
        state.withLock {
            $0.offsets[connector, default: [:]][partition] = offset
            let key = Key(connector: connector, partition: partition)
            $0.dirty.insert(key)
            $0.local.insert(key)
        }
    }

    /// Writes tombstones for every offset of `connector` and forgets them.
    public func reset(connector: String) throws {
        let partitions = state.withLock { state -> [String] in
            let names = Array((state.offsets[connector] ?? [:]).keys)
            state.offsets[connector] = nil
            state.dirty = state.dirty.filter { $0.connector != connector }
            for name in names { state.local.insert(Key(connector: connector, partition: name)) }
            return names
        }
        try producer.send(partitions.map {
            MessageProducer.Message(topic: topic, key: Self.key(connector: connector, partition: $0), value: nil)
        })
    }

    /// Replaces `connector`'s offsets with `offsets` (the REST API's PATCH).
    public func set(connector: String, offsets: [String: SourceOffset]) throws {
        state.withLock { state in
            for (partition, offset) in offsets {
                let key = Key(connector: connector, partition: partition)
                state.offsets[connector, default: [:]][partition] = offset
                state.dirty.insert(key)
                // Older records of these partitions, read after this call, must not win.
                state.local.insert(key)
            }
        }
        try flush()
    }

    public func flush() throws {
        let pending = state.withLock { state -> [(Key, SourceOffset)] in
            defer { state.dirty.removeAll() }
            return state.dirty.compactMap { key in state.offsets[key.connector]?[key.partition].map { (key, $0) } }
        }
        guard !pending.isEmpty else { return }
        do {
            try producer.send(pending.map { key, offset in
                MessageProducer.Message(
                    topic: topic, key: Self.key(connector: key.connector, partition: key.partition),
                    value: Array((try? JSONSerialization.data(withJSONObject: offset.jsonObject, options: [.sortedKeys])) ?? Data()))
            })
        } catch {
            // Nothing was lost: mark them for the next flush.
            state.withLock { state in for (key, _) in pending { state.dirty.insert(key) } }
            throw error
        }
    }

    /// Stops preferring this worker's own offsets of `connector` (after its tasks
    /// here stopped and were flushed), so the next worker's records count.
    public func release(connector: String) {
        state.withLock { $0.local = $0.local.filter { $0.connector != connector } }
    }

    /// Applies a record read from the offset topic.
    public func apply(_ entry: TopicReader.Entry) {
        guard let keyBytes = entry.key,
            let parsed = try? JSONSerialization.jsonObject(with: Data(keyBytes)) as? [Any], parsed.count == 2,
            let connector = parsed[0] as? String,
            let partition = SourcePartitionName.name(parsed[1])
        else { return }
        let key = Key(connector: connector, partition: partition)
        var offset: SourceOffset?
        if let value = entry.value, let object = try? JSONSerialization.jsonObject(with: Data(value)) {
            offset = SourceOffset(json: object)
        }
        state.withLock { state in
            guard !state.local.contains(key) else { return }
            state.offsets[connector, default: [:]][partition] = offset
            if state.offsets[connector]?.isEmpty == true { state.offsets[connector] = nil }
        }
    }

    /// The key Kafka Connect uses: `["connector",{"partition":"name"}]`, or the
    /// connector's own partition object.
    static func key(connector: String, partition: String) -> [UInt8] {
        let array: [Any] = [connector, SourcePartitionName.object(partition)]
        return Array((try? JSONSerialization.data(withJSONObject: array, options: [.sortedKeys])) ?? Data())
    }
}
