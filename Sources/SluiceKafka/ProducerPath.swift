import SluiceCore

/// Which producer a source task's records go through (`producer.path`, a worker
/// setting a connector may override).
public enum ProducerPath: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The native path wherever it applies (PLAINTEXT, codecs none/lz4/zstd, no
    /// transactions), librdkafka elsewhere: the default.
    case automatic
    /// Sluice's own Kafka batches and connections (``NativeProducer``); an error
    /// where it does not apply.
    case native
    /// librdkafka's producer (``Producer``).
    case librdkafka

    public var description: String { rawValue }

    /// The path named `name` (case-insensitive).
    /// - Throws: ``NativeProducerError/invalidSetting(name:value:reason:)`` naming the choices.
    public init(named name: String) throws {
        guard let path = ProducerPath(rawValue: name.lowercased()) else {
            throw NativeProducerError.invalidSetting(
                name: "producer.path", value: name, reason: "expected native, librdkafka or automatic")
        }
        self = path
    }

    /// The path that serves `configuration`, and why it is librdkafka when
    /// `automatic` could not choose the native path (nil when chosen by name).
    /// - Throws: ``NativeProducerError/invalidSetting(name:value:reason:)`` when
    ///   `native` was asked for and cannot serve it.
    public func resolved(for configuration: KafkaConfiguration) throws -> (path: ProducerPath, reason: String?) {
        switch self {
        case .librdkafka:
            return (.librdkafka, nil)
        case .native:
            if let reason = NativeProducerSettings.whyNotNative(configuration) {
                throw NativeProducerError.invalidSetting(name: "producer.path", value: "native", reason: reason)
            }
            return (.native, nil)
        case .automatic:
            if let reason = NativeProducerSettings.whyNotNative(configuration) { return (.librdkafka, reason) }
            return (.native, nil)
        }
    }

    /// Makes the producer of this path for `topic`.
    /// - Returns: the producer and, when it is librdkafka's, why.
    public func makeProducer(
        topic: String, configuration: KafkaConfiguration, produceCall: ProduceCall = .automatic,
        onBatchDelivered: @escaping (RecordBatch) -> Void
    ) throws -> (producer: any BatchProducer, path: ProducerPath, reason: String?) {
        let (path, reason) = try resolved(for: configuration)
        if path == .native {
            return (try NativeProducer(topic: topic, configuration: configuration, onBatchDelivered: onBatchDelivered), path, nil)
        }
        let producer = try Producer(topic: topic, configuration: configuration, onBatchDelivered: onBatchDelivered)
        producer.call = produceCall
        return (producer, path, reason)
    }
}
