import Foundation

/// The producer settings the native path reads, under librdkafka's names (and the
/// Java client's where they differ), with librdkafka's defaults except where noted.
package struct NativeProducerSettings: Sendable, Equatable {
    /// `bootstrap.servers`, split.
    package var bootstrapServers: [String]
    /// `client.id` (default `sluice`).
    package var clientID = "sluice"
    /// `acks` / `request.required.acks`: -1 (all, the default), 0 or 1.
    package var acks: Int16 = -1
    /// `linger.ms` / `queue.buffering.max.ms` (5).
    package var lingerMs = 5
    /// `batch.size` (1,000,000 bytes, librdkafka's default).
    package var batchSize = 1_000_000
    /// `message.max.bytes`: the largest request (1,000,000).
    package var maxRequestBytes = 1_000_000
    /// `max.in.flight.requests.per.connection` / `max.in.flight` (5: the most an
    /// idempotent producer may pipeline).
    package var maxInFlight = 5
    /// `request.timeout.ms` (30,000).
    package var requestTimeoutMs = 30_000
    /// `delivery.timeout.ms` / `message.timeout.ms` (300,000).
    package var deliveryTimeoutMs = 300_000
    /// `retry.backoff.ms` (100).
    package var retryBackoffMs = 100
    /// `metadata.max.age.ms` (900,000).
    package var metadataMaxAgeMs = 900_000
    /// `compression.type` / `compression.codec` (none).
    package var codec: WireCodec = .none
    /// `compression.level` (-1: the codec's default).
    package var compressionLevel = -1
    /// `enable.idempotence` (true here, as in the Java client since Kafka 3.0;
    /// librdkafka's own default is false).
    package var idempotent = true
    /// `partitioner` (consistent_random).
    package var partitioner: Partitioner = .default

    /// Reads the settings from `configuration`; settings the native path does not
    /// read are left to the validation librdkafka does of the same configuration.
    /// - Throws: ``NativeProducerError/invalidSetting(name:value:reason:)`` for every
    ///   value it cannot use (the first found), or ``whyNotNative(_:)``'s reasons.
    package init(_ configuration: KafkaConfiguration) throws {
        let servers = (configuration["bootstrap.servers"] ?? configuration["metadata.broker.list"] ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !servers.isEmpty else {
            throw NativeProducerError.invalidSetting(name: "bootstrap.servers", value: "", reason: "no broker given")
        }
        bootstrapServers = servers.map { $0.hasPrefix("PLAINTEXT://") ? String($0.dropFirst(12)) : $0 }
        func integer(_ names: [String], _ range: ClosedRange<Int>) throws -> Int? {
            for name in names {
                guard let text = configuration[name] else { continue }
                guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
                    throw NativeProducerError.invalidSetting(
                        name: name, value: text, reason: "expected an integer in \(range.lowerBound)...\(range.upperBound)")
                }
                return value
            }
            return nil
        }
        if let id = configuration["client.id"] { clientID = id }
        for name in ["acks", "request.required.acks"] {
            guard let text = configuration[name] else { continue }
            switch text.lowercased() {
            case "all", "-1": acks = -1
            case "0": acks = 0
            case "1": acks = 1
            default: throw NativeProducerError.invalidSetting(name: name, value: text, reason: "expected all, -1, 0 or 1")
            }
            break
        }
        lingerMs = try integer(["linger.ms", "queue.buffering.max.ms"], 0...900_000) ?? lingerMs
        batchSize = try integer(["batch.size"], 100...2_147_483_647) ?? batchSize
        maxRequestBytes = try integer(["message.max.bytes"], 1000...1_000_000_000) ?? maxRequestBytes
        maxInFlight = try integer(["max.in.flight.requests.per.connection", "max.in.flight"], 1...1_000_000) ?? maxInFlight
        requestTimeoutMs = try integer(["request.timeout.ms"], 1...900_000) ?? requestTimeoutMs
        deliveryTimeoutMs = try integer(["delivery.timeout.ms", "message.timeout.ms"], 0...2_147_483_647) ?? deliveryTimeoutMs
        if deliveryTimeoutMs == 0 { deliveryTimeoutMs = Int(Int32.max) }
        retryBackoffMs = try integer(["retry.backoff.ms"], 1...300_000) ?? retryBackoffMs
        metadataMaxAgeMs = try integer(["metadata.max.age.ms"], 1...86_400_000) ?? metadataMaxAgeMs
        compressionLevel = try integer(["compression.level"], -1...22) ?? compressionLevel
        for name in ["compression.type", "compression.codec"] {
            guard let text = configuration[name] else { continue }
            guard let codec = WireCodec(name: text) else {
                throw NativeProducerError.invalidSetting(
                    name: name, value: text, reason: "the native produce path writes none, lz4 and zstd (use producer.path=librdkafka for others)")
            }
            self.codec = codec
            break
        }
        if let text = configuration["enable.idempotence"] {
            switch text.lowercased() {
            case "true": idempotent = true
            case "false": idempotent = false
            default: throw NativeProducerError.invalidSetting(name: "enable.idempotence", value: text, reason: "expected true or false")
            }
        }
        if let name = configuration["partitioner"] { partitioner = try Partitioner(named: name) }
        if idempotent {
            if acks != -1 {
                throw NativeProducerError.invalidSetting(
                    name: "acks", value: String(acks), reason: "enable.idempotence=true needs acks=all (or set enable.idempotence=false)")
            }
            if maxInFlight > 5 {
                maxInFlight = 5  // librdkafka lowers it the same way for an idempotent producer
            }
        }
        if let reason = Self.whyNotNative(configuration) {
            throw NativeProducerError.invalidSetting(name: "producer.path", value: "native", reason: reason)
        }
    }

    /// Why the native path cannot serve `configuration` (TLS, SASL, a codec it does
    /// not write, a transactional id), or nil when it can.
    package static func whyNotNative(_ configuration: KafkaConfiguration) -> String? {
        let security = (configuration["security.protocol"] ?? "plaintext").lowercased()
        if security != "plaintext" {
            return "security.protocol=\(security): the native path speaks PLAINTEXT only"
        }
        for name in ["compression.type", "compression.codec"] {
            if let codec = configuration[name], WireCodec(name: codec) == nil {
                return "\(name)=\(codec): the native path writes none, lz4 and zstd"
            }
        }
        if configuration["transactional.id"] != nil {
            return "transactional.id is set: the native path does not run transactions"
        }
        if configuration["bootstrap.servers"].map({ $0.contains("://") && !$0.uppercased().contains("PLAINTEXT://") }) == true {
            return "bootstrap.servers names a non-PLAINTEXT listener"
        }
        return nil
    }
}
