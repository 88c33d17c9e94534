#if canImport(Glibc)
import Glibc
#endif
import SluiceCore

/// A producer that writes Kafka record batches (magic v2) itself and sends them to
/// the partition leaders over its own connections, without librdkafka.
///
/// A task's records are written once by the task into its ``RecordBatch`` arena,
/// then encoded once into the partition's ``WireRecordBatch`` (one copy, with
/// Kafka's record framing around it), whose buffer is written to the socket as it
/// is. Batches are sealed when full (`batch.size`), after `linger.ms`, or on
/// ``flush(timeoutMs:)``; up to `max.in.flight.requests.per.connection` requests are
/// pipelined per broker. Idempotent by default: a producer id from InitProducerId,
/// per-partition sequences, and a retried batch keeps its sequence, so a broker
/// that already wrote it does not write it again.
///
/// Delivery is reported per task batch: ``onBatchDelivered`` runs once every
/// record of it is acknowledged or failed (failures are counted on the batch and in
/// ``statistics``; nothing is dropped silently).
///
/// Thread-safety rule (why `@unchecked Sendable`): one thread at a time calls
/// ``produce(_:)``, ``poll(timeoutMs:)`` and ``flush(timeoutMs:)``, and reports
/// run on it; the producer has no locks and starts no threads.
public final class NativeProducer: BatchProducer, @unchecked Sendable {
    /// The topic records go to unless their batch names another.
    public let topic: String
    /// Delivery counts, failures and latencies so far.
    @exclusivity(unchecked) public private(set) var statistics = DeliveryStatistics()
    /// Whether to record write-to-acknowledgement latency (one sample per Kafka batch).
    public var recordsLatency = true
    /// The Produce version in use (the highest of 3...7 the cluster serves).
    public private(set) var produceVersion: Int16 = 7
    /// Requests sent so far.
    public private(set) var requestsSent = 0
    /// Batches sent again after a retriable error or a lost connection.
    public private(set) var batchesRetried = 0

    package let settings: NativeProducerSettings
    private let onBatchDelivered: (RecordBatch) -> Void
    private let compressor: WireCompressor
    @exclusivity(unchecked) private var topics: [NativeTopic] = []
    private var topicIndex: [String: Int] = [:]
    private var brokerAddresses: [Int32: String] = [:]
    private var connections: [Int32: ProduceConnection] = [:]
    private var requests: [Int32: [InFlightRequest]] = [:]
    private var outgoing: [Int32: [WireRecordBatch]] = [:]
    private var freeBatches: [WireRecordBatch] = []
    private var producerID: Int64 = -1
    private var producerEpoch: Int16 = -1
    private var needsNewProducerID = false
    private var correlation: Int32 = 0
    private var metadataStale = false
    private var metadataAttemptNanos: UInt64 = 0
    private var metadataFetchedNanos: UInt64 = 0
    @exclusivity(unchecked) private var outstandingRecords = 0
    @exclusivity(unchecked) private var fatal: NativeProducerError?
    private var metadataConnection: BrokerConnection?
    private let batchLimit: Int
    /// The sockets `poll(2)` waits on (kept, so a poll allocates nothing).
    private var descriptors: [pollfd] = []

    /// Creates a producer for `topic`. It connects at the first ``produce(_:)``
    /// (ApiVersions, InitProducerId when idempotent, Metadata), retrying until
    /// `delivery.timeout.ms` passes, so making one never blocks on the network.
    /// - Parameter onBatchDelivered: called once per task batch, on the producing
    ///   thread, when every record in it was reported (delivered or failed).
    /// - Throws: ``NativeProducerError`` for settings it cannot use.
    public init(
        topic: String, configuration: KafkaConfiguration, onBatchDelivered: @escaping (RecordBatch) -> Void
    ) throws {
        self.topic = topic
        settings = try NativeProducerSettings(configuration)
        self.onBatchDelivered = onBatchDelivered
        compressor = WireCompressor(codec: settings.codec, level: settings.compressionLevel)
        batchLimit = min(settings.batchSize, settings.maxRequestBytes - 256)
    }

    deinit {
        for connection in connections.values { connection.close() }
    }

    // MARK: - Producing

    /// Encodes every record of `batch` into its partition's Kafka batch and sends
    /// the batches that are full.
    /// - Throws: ``NativeProducerError`` for a record that can never be sent (too
    ///   large, a partition the topic lacks) or after a fatal broker error; every
    ///   record not encoded is counted as failed on the batch.
    public func produce(_ batch: RecordBatch) throws {
        let total = batch.count
        batch.pendingDeliveries = total
        if total == 0 {
            onBatchDelivered(batch)
            return
        }
        if let fatal { throw failUnencoded(total, of: batch, error: fatal) }
        let state: NativeTopic
        do {
            if !bootstrapped { try bootstrap() }
            state = topics[try index(ofTopic: batch.topic ?? topic)]
        } catch {
            throw failUnencoded(total, of: batch, error: asProducerError(error))
        }
        let partitionCount = Int32(state.partitions.count)
        state.sticky = Int32.random(in: 0..<partitionCount)
        let nowMs = Self.wallClockMilliseconds()
        let nowNanos = MonotonicClock.nanoseconds()
        let arena = UnsafeRawPointer(batch.arenaBase)
        let owner = Unmanaged.passUnretained(batch)
        let partitioner = settings.partitioner
        outstandingRecords &+= total
        for position in 0..<total {
            let entry = batch.entryPointer(at: position)
            var partitionIndex = entry.pointee.partition
            if partitionIndex < 0 {
                let keyLength = entry.pointee.keyLength
                partitionIndex =
                    partitioner.isSticky(keyLength: keyLength)
                    ? state.sticky
                    : partitioner.partition(
                        key: arena + Int(entry.pointee.keyOffset), keyLength: keyLength, partitions: partitionCount)
            } else if partitionIndex >= partitionCount {
                outstandingRecords &-= total &- position
                throw failUnencoded(
                    total - position, of: batch,
                    error: .unknownPartition(topic: state.name, partition: partitionIndex, partitions: Int(partitionCount)))
            }
            let timestamp = entry.pointee.timestampMs != 0 ? entry.pointee.timestampMs : nowMs
            do {
                // +0 references: the topic table keeps partitions and their open
                // batches alive, so the per-record path takes no retain/release.
                try state.partitionRefs[Int(partitionIndex)]._withUnsafeGuaranteedRef { partition in
                    try append(entry, arena: arena, timestampMs: timestamp, nowNanos: nowNanos, owner: owner, to: partition)
                }
            } catch let NativeProducerError.recordTooLarge(_, bytes, limit, _) {
                outstandingRecords &-= total &- position
                let setting = limit == settings.batchSize ? "batch.size" : "message.max.bytes"
                throw failUnencoded(
                    total - position, of: batch,
                    error: .recordTooLarge(topic: state.name, bytes: bytes, limit: limit, setting: setting))
            } catch {
                outstandingRecords &-= total &- position
                throw failUnencoded(total - position, of: batch, error: asProducerError(error))
            }
        }
        if settings.lingerMs == 0 {
            for partition in state.partitions where partition.open != nil { try? seal(partition) }
        }
        _ = service(waitMs: 0)
    }

    /// Serves the network for up to `timeoutMs`: seals batches whose `linger.ms`
    /// passed, sends what is ready, reads answers and reports acknowledged batches.
    /// - Returns: the number of answers read.
    @discardableResult
    public func poll(timeoutMs: Int = 0) -> Int {
        service(waitMs: timeoutMs)
    }

    /// Records handed over and not yet reported.
    public var outstanding: Int { outstandingRecords }

    /// Seals every open batch and waits until every record is reported.
    /// - Throws: ``KafkaError/flushTimedOut(outstanding:timeoutMs:)``.
    public func flush(timeoutMs: Int) throws {
        let deadline = MonotonicClock.nanoseconds() &+ UInt64(max(timeoutMs, 0)) &* 1_000_000
        sealAll()
        while outstandingRecords > 0 {
            let now = MonotonicClock.nanoseconds()
            if now >= deadline { throw KafkaError.flushTimedOut(outstanding: outstandingRecords, timeoutMs: timeoutMs) }
            sealAll()
            _ = service(waitMs: Int(min((deadline - now) / 1_000_000 + 1, 10)))
        }
    }

    // MARK: - Batches

    /// Appends one record to `partition`'s open batch, sealing a full one first, and
    /// counts it against its task batch `owner`.
    @inline(__always)
    private func append(
        _ entry: UnsafeMutablePointer<RecordEntry>, arena: UnsafeRawPointer, timestampMs: Int64, nowNanos: UInt64,
        owner: Unmanaged<RecordBatch>, to partition: NativePartition
    ) throws {
        let wireRef: Unmanaged<WireRecordBatch>
        if let open = partition.openRef {
            wireRef = open
        } else {
            wireRef = Unmanaged.passUnretained(openBatch(for: partition))
        }
        let appended = try wireRef._withUnsafeGuaranteedRef { wire in
            try wire.append(entry, arena: arena, timestampMs: timestampMs, nowNanos: nowNanos)
        }
        var target = wireRef
        if !appended {
            try seal(partition)
            target = Unmanaged.passUnretained(openBatch(for: partition))
            _ = try target._withUnsafeGuaranteedRef { wire in
                try wire.append(entry, arena: arena, timestampMs: timestampMs, nowNanos: nowNanos)
            }
        }
        target._withUnsafeGuaranteedRef { wire in
            let last = wire.sources.count &- 1
            if last >= 0 && wire.sources[last].batch.toOpaque() == owner.toOpaque() {
                wire.sources[last].records &+= 1
            } else {
                wire.sources.append((owner, 1))
            }
        }
    }

    private func openBatch(for partition: NativePartition) -> WireRecordBatch {
        let wire = freeBatches.popLast() ?? WireRecordBatch(limit: batchLimit)
        wire.reset(topic: partition.topic, partition: partition.index)
        partition.open = wire
        return wire
    }

    private func seal(_ partition: NativePartition) throws {
        guard let wire = partition.open else { return }
        partition.open = nil
        if wire.isEmpty {
            freeBatches.append(wire)
            return
        }
        var sequence: Int32 = -1
        if settings.idempotent {
            sequence = partition.nextSequence
            partition.nextSequence = Self.sequence(after: sequence, records: wire.recordCount)
        }
        do {
            try wire.seal(producerID: producerID, epoch: producerEpoch, baseSequence: sequence, compressor: compressor)
        } catch {
            partition.unacked.append(wire)
            fail(partition, error: asProducerError(error))
            throw error
        }
        partition.unacked.append(wire)
    }

    /// Kafka's sequence after a batch of `records` starting at `sequence` (wrapping at Int32.max).
    static func sequence(after sequence: Int32, records: Int32) -> Int32 {
        Int32((Int64(sequence) + Int64(records)) % (Int64(Int32.max) + 1))
    }

    private func sealAll() {
        for state in topics {
            for partition in state.partitions where partition.open != nil { try? seal(partition) }
        }
    }

    // MARK: - The network

    private func service(waitMs: Int) -> Int {
        var now = MonotonicClock.nanoseconds()
        if (metadataStale && now >= metadataAttemptNanos)
            || now &- metadataFetchedNanos > UInt64(settings.metadataMaxAgeMs) &* 1_000_000
        {
            refreshMetadata(now)
        }
        let lingerNanos = UInt64(settings.lingerMs) &* 1_000_000
        var nextLinger = UInt64.max
        for state in topics {
            for partition in state.partitions {
                guard let open = partition.open, !open.isEmpty else { continue }
                if now &- open.openedAtNanos >= lingerNanos {
                    try? seal(partition)
                } else {
                    nextLinger = min(nextLinger, open.openedAtNanos &+ lingerNanos)
                }
            }
        }
        expire(now)
        startRetries(now)
        sendReady(now)
        var answered = readAnswers(waitMs: waitMs, nextLingerNanos: nextLinger)
        if answered > 0 {
            now = MonotonicClock.nanoseconds()
            sendReady(now)
            answered += readAnswers(waitMs: 0, nextLingerNanos: .max)
        }
        return answered
    }

    /// Sends every batch that may go: per partition in sequence order, at most
    /// `max.in.flight` per partition and per connection, one batch per partition per
    /// request, requests up to `message.max.bytes`.
    private func sendReady(_ now: UInt64) {
        while true {
            for key in outgoing.keys { outgoing[key]!.removeAll(keepingCapacity: true) }
            var any = false
            for state in topics {
                for partition in state.partitions {
                    guard partition.leader >= 0, !partition.retryPending, partition.waiting > 0,
                        partition.inFlight < settings.maxInFlight,
                        let next = partition.unacked.first(where: { !$0.inFlight })
                    else { continue }
                    if requests[partition.leader, default: []].count >= settings.maxInFlight { continue }
                    outgoing[partition.leader, default: []].append(next)
                    any = true
                }
            }
            guard any else { return }
            var sent = false
            for (broker, batches) in outgoing where !batches.isEmpty {
                sent = send(batches, to: broker, now: now) || sent
            }
            if !sent { return }
        }
    }

    /// Sends one request with as many of `batches` as fit; returns whether one went.
    private func send(_ batches: [WireRecordBatch], to broker: Int32, now: UInt64) -> Bool {
        guard let connection = connection(to: broker, now: now) else { return false }
        var chosen: [WireRecordBatch] = []
        var size = 64
        for batch in batches.sorted(by: { $0.topic < $1.topic }) {
            let cost = batch.bytes.count + topics[batch.topic].name.utf8.count + 16
            if !chosen.isEmpty && size + cost > settings.maxRequestBytes { continue }
            chosen.append(batch)
            size += cost
        }
        correlation &+= 1
        var framing = WireWriter()
        framing.int32(0)  // size, patched below
        framing.int16(0)  // Produce
        framing.int16(produceVersion)
        framing.int32(correlation)
        framing.string(settings.clientID)
        framing.string(nil)  // transactional id
        framing.int16(settings.acks)
        framing.int32(Int32(settings.requestTimeoutMs))
        var places: [(at: Int, bytes: UnsafeRawBufferPointer)] = []
        var topicCount: Int32 = 0
        var start = 0
        var body: [(topic: Int, batches: ArraySlice<WireRecordBatch>)] = []
        while start < chosen.count {
            var end = start + 1
            while end < chosen.count && chosen[end].topic == chosen[start].topic { end += 1 }
            body.append((chosen[start].topic, chosen[start..<end]))
            topicCount += 1
            start = end
        }
        framing.int32(topicCount)
        var total = 0
        for (topicIndex, group) in body {
            framing.string(topics[topicIndex].name)
            framing.int32(Int32(group.count))
            for batch in group {
                framing.int32(batch.partition)
                framing.int32(Int32(batch.bytes.count))
                places.append((framing.bytes.count, batch.bytes))
                total += batch.bytes.count
            }
        }
        var bytes = framing.bytes
        let frameSize = UInt32(bytes.count - 4 + total).bigEndian
        withUnsafeBytes(of: frameSize) { for i in 0..<4 { bytes[i] = $0[i] } }
        do {
            try connection.write(framing: bytes, batches: places)
        } catch {
            connectionFailed(broker, reason: "\(error)", now: now)
            return false
        }
        requestsSent += 1
        for batch in chosen {
            batch.inFlight = true
            batch.attempts += 1
            if batch.attempts > 1 { batchesRetried += 1 }
            topics[batch.topic].partitions[Int(batch.partition)].inFlight += 1
        }
        if settings.acks == 0 {
            for batch in chosen { settle(batch, error: 0, now: now) }
        } else {
            requests[broker, default: []].append(InFlightRequest(correlation: correlation, sentAtNanos: now, batches: chosen))
        }
        return true
    }

    private func connection(to broker: Int32, now: UInt64) -> ProduceConnection? {
        if let existing = connections[broker], existing.isOpen { return existing }
        guard let address = brokerAddresses[broker] else {
            metadataStale = true
            return nil
        }
        do {
            let connection = try ProduceConnection(brokerID: broker, address: address, timeoutMs: settings.requestTimeoutMs)
            connections[broker] = connection
            return connection
        } catch {
            connectionFailed(broker, reason: "\(error)", now: now)
            return nil
        }
    }

    /// Reads the answers that are there, waiting up to `waitMs` (or until the next
    /// linger deadline) when something is in flight.
    private func readAnswers(waitMs: Int, nextLingerNanos: UInt64) -> Int {
        descriptors.removeAll(keepingCapacity: true)
        for (broker, pending) in requests where !pending.isEmpty {
            if let connection = connections[broker], connection.isOpen {
                descriptors.append(pollfd(fd: connection.descriptor, events: Int16(POLLIN), revents: 0))
            }
        }
        var wait = waitMs
        if nextLingerNanos != .max {
            let now = MonotonicClock.nanoseconds()
            wait = min(wait, nextLingerNanos > now ? Int((nextLingerNanos - now) / 1_000_000) : 0)
        }
        if descriptors.isEmpty {
            if wait > 0 { usleep(UInt32(min(wait, 100)) * 1000) }
            return 0
        }
        let ready = descriptors.withUnsafeMutableBufferPointer { Glibc.poll($0.baseAddress, nfds_t($0.count), Int32(wait)) }
        guard ready > 0 else { return 0 }
        var answered = 0
        let now = MonotonicClock.nanoseconds()
        for descriptor in descriptors where descriptor.revents != 0 {
            guard let (broker, connection) = connections.first(where: { $0.value.descriptor == descriptor.fd }) else { continue }
            do {
                while true {
                    let frames = try connection.readResponses(wait: false) { correlation, body in
                        try handleAnswer(from: broker, correlation: correlation, body: body, now: now)
                    }
                    answered += frames
                    if frames == 0 { break }
                }
            } catch {
                connectionFailed(broker, reason: "\(error)", now: now)
            }
        }
        return answered
    }

    private func handleAnswer(from broker: Int32, correlation: Int32, body: UnsafeRawBufferPointer, now: UInt64) throws {
        guard var pending = requests[broker], !pending.isEmpty, pending[0].correlation == correlation else {
            throw ProtocolError.malformed("an answer with correlation id \(correlation) that no request awaits")
        }
        let request = pending.removeFirst()
        requests[broker] = pending
        var reader = WireReader(Array(body))
        let topicCount = try reader.int32()
        for _ in 0..<max(topicCount, 0) {
            let name = try reader.string()
            let partitionCount = try reader.int32()
            for _ in 0..<max(partitionCount, 0) {
                let index = try reader.int32()
                let error = try reader.int16()
                _ = try reader.int64()  // base offset
                _ = try reader.int64()  // log append time
                if produceVersion >= 5 { _ = try reader.int64() }  // log start offset
                if let batch = request.batches.first(where: { $0.partition == index && topics[$0.topic].name == name }) {
                    settle(batch, error: error, now: now)
                }
            }
        }
        // A batch the answer did not mention is retried.
        for batch in request.batches where batch.inFlight {
            settle(batch, error: 13, now: now)
        }
    }

    /// Applies the broker's answer for one batch.
    private func settle(_ batch: WireRecordBatch, error: Int16, now: UInt64) {
        let partition = topics[batch.topic].partitions[Int(batch.partition)]
        guard let position = partition.unacked.firstIndex(where: { $0 === batch }) else { return }
        if batch.inFlight {
            batch.inFlight = false
            partition.inFlight -= 1
        }
        if error == 0 || error == 46 {  // 46: DUPLICATE_SEQUENCE_NUMBER, already written
            partition.unacked.remove(at: position)
            deliver(batch, now: now)
            freeBatches.append(batch)
            return
        }
        partition.lastError = KafkaErrorCode.name(error)
        if KafkaErrorCode.isRetriable(error) {
            if settings.idempotent && (error == 59 || (error == 45 && position == 0 && !partition.retryPending)) {
                needsNewProducerID = true
            }
            if error == 3 || error == 5 || error == 6 || error == 74 || error == 75 { metadataStale = true }
            partition.retryPending = true
            partition.retryAtNanos = now &+ UInt64(settings.retryBackoffMs) &* 1_000_000
            return
        }
        let name = topics[batch.topic].name
        fail(partition, error: .rejected(topic: name, partition: partition.index, code: error, name: KafkaErrorCode.name(error)))
    }

    private func deliver(_ batch: WireRecordBatch, now: UInt64) {
        let records = Int(batch.recordCount)
        statistics.delivered &+= records
        statistics.deliveredBytes &+= batch.payloadBytes
        outstandingRecords &-= records
        if recordsLatency && batch.sampleWrittenAtNanos != 0 {
            _ = statistics.latencyMicros.record(max((now &- batch.sampleWrittenAtNanos) / 1000, 1))
        }
        for source in batch.sources {
            source.batch._withUnsafeGuaranteedRef { owner in
                if owner.settleDelivered(source.records) { onBatchDelivered(owner) }
            }
        }
    }

    /// Fails every unacknowledged batch of `partition` and the producer with it
    /// (an idempotent producer cannot go on past a gap in a partition's sequence).
    private func fail(_ partition: NativePartition, error: NativeProducerError) {
        if fatal == nil { fatal = error }
        let reason = error.description
        if statistics.firstError == nil { statistics.firstError = reason }
        let failed = partition.unacked
        partition.unacked.removeAll()
        partition.inFlight = 0
        partition.retryPending = false
        for batch in failed {
            let records = Int(batch.recordCount)
            statistics.failed &+= records
            outstandingRecords &-= records
            for source in batch.sources {
                source.batch._withUnsafeGuaranteedRef { owner in
                    if owner.settleFailed(source.records, reason: reason) { onBatchDelivered(owner) }
                }
            }
            // A batch still in a request stays out of the free list; the request keeps it.
            if !batch.inFlight { freeBatches.append(batch) }
        }
    }

    /// Counts `count` records of `batch` that were never encoded as failed and
    /// completes the batch when nothing else is pending. Every error but a record too
    /// large for a batch also stops the producer (``fatal``).
    private func failUnencoded(_ count: Int, of batch: RecordBatch, error: NativeProducerError) -> NativeProducerError {
        if case .recordTooLarge = error {} else if fatal == nil { fatal = error }
        let reason = error.description
        statistics.failed += count
        if statistics.firstError == nil { statistics.firstError = reason }
        if batch.settleFailed(count, reason: reason) { onBatchDelivered(batch) }
        return error
    }

    /// `error` as the producer reports it: its own errors as they are, anything from
    /// below (a socket, the wire format) as the cluster being unreachable.
    private func asProducerError(_ error: any Error) -> NativeProducerError {
        error as? NativeProducerError
            ?? .unreachable(bootstrapServers: settings.bootstrapServers.joined(separator: ","), reason: "\(error)")
    }

    /// A connection failed: its requests' batches go back to be resent (same
    /// sequences), after the backoff and fresh metadata.
    private func connectionFailed(_ broker: Int32, reason: String, now: UInt64) {
        connections[broker]?.close()
        connections[broker] = nil
        let lost = requests[broker] ?? []
        requests[broker] = []
        metadataStale = true
        for request in lost {
            for batch in request.batches where batch.inFlight {
                batch.inFlight = false
                let partition = topics[batch.topic].partitions[Int(batch.partition)]
                partition.inFlight -= 1
            }
        }
        for state in topics {
            for partition in state.partitions where partition.leader == broker {
                partition.lastError = reason
                if !partition.unacked.isEmpty {
                    partition.retryPending = true
                    partition.retryAtNanos = now &+ UInt64(settings.retryBackoffMs) &* 1_000_000
                }
            }
        }
    }

    /// Request and delivery timeouts.
    private func expire(_ now: UInt64) {
        let requestTimeout = UInt64(settings.requestTimeoutMs) &* 1_000_000
        for (broker, pending) in requests {
            if let oldest = pending.first, now &- oldest.sentAtNanos > requestTimeout {
                connectionFailed(broker, reason: "no answer within request.timeout.ms (\(settings.requestTimeoutMs) ms)", now: now)
            }
        }
        let deliveryTimeout = UInt64(settings.deliveryTimeoutMs) &* 1_000_000
        for state in topics {
            for partition in state.partitions {
                guard let oldest = partition.unacked.first, now &- oldest.openedAtNanos > deliveryTimeout else { continue }
                fail(
                    partition,
                    error: .deliveryTimedOut(
                        topic: state.name, partition: partition.index, timeoutMs: settings.deliveryTimeoutMs,
                        lastError: partition.lastError))
            }
        }
    }

    /// Starts the retries whose backoff passed and whose partition has nothing in
    /// flight; first gets a new producer id when the broker lost this one.
    private func startRetries(_ now: UInt64) {
        if needsNewProducerID {
            for state in topics { for partition in state.partitions where partition.inFlight > 0 { return } }
            do {
                try renewProducerID()
            } catch {
                return
            }
        }
        for state in topics {
            for partition in state.partitions where partition.retryPending {
                guard partition.inFlight == 0, now >= partition.retryAtNanos, !metadataStale || partition.leader >= 0 else { continue }
                partition.retryPending = false
            }
        }
    }

    /// InitProducerId again, then every unacknowledged batch renumbered from 0 in
    /// its partition (the Java producer's answer to UNKNOWN_PRODUCER_ID).
    private func renewProducerID() throws {
        let connection = try controlConnection()
        let fresh = try ControlPlaneClient.initProducerID(connection, timeoutMs: settings.requestTimeoutMs)
        producerID = fresh.id
        producerEpoch = fresh.epoch
        needsNewProducerID = false
        for state in topics {
            for partition in state.partitions {
                var sequence: Int32 = 0
                for batch in partition.unacked {
                    batch.restamp(producerID: producerID, epoch: producerEpoch, baseSequence: sequence)
                    sequence = Self.sequence(after: sequence, records: batch.recordCount)
                }
                partition.nextSequence = sequence
            }
        }
    }

    // MARK: - Metadata

    /// Whether ``bootstrap()`` succeeded.
    private var bootstrapped = false

    /// Connects to the cluster, retrying until `delivery.timeout.ms` passes.
    private func bootstrap() throws {
        let deadline = MonotonicClock.nanoseconds() &+ UInt64(settings.deliveryTimeoutMs) &* 1_000_000
        var lastError = "no broker tried"
        while true {
            do {
                let connection = try controlConnection()
                let versions = try ControlPlaneClient.apiVersions(connection)
                guard let produce = versions[0], produce >= 3 else {
                    throw NativeProducerError.invalidSetting(
                        name: "producer.path", value: "native", reason: "the cluster serves no Produce v3 or later (record batches v2)")
                }
                produceVersion = min(produce, 7)
                if settings.codec == .zstd && produceVersion < 7 {
                    throw NativeProducerError.invalidSetting(
                        name: "compression.type", value: "zstd", reason: "the cluster serves Produce v\(produceVersion); zstd needs v7")
                }
                if settings.idempotent {
                    let fresh = try ControlPlaneClient.initProducerID(connection, timeoutMs: settings.requestTimeoutMs)
                    producerID = fresh.id
                    producerEpoch = fresh.epoch
                }
                bootstrapped = true
                return
            } catch let error as NativeProducerError {
                throw error
            } catch {
                metadataConnection = nil
                lastError = "\(error)"
            }
            if MonotonicClock.nanoseconds() >= deadline {
                throw NativeProducerError.unreachable(bootstrapServers: settings.bootstrapServers.joined(separator: ","), reason: lastError)
            }
            usleep(UInt32(settings.retryBackoffMs) * 1000)
        }
    }

    /// A connection for metadata and InitProducerId: the last one, else the first
    /// known broker or bootstrap server that answers.
    private func controlConnection() throws -> BrokerConnection {
        if let metadataConnection { return metadataConnection }
        var lastError: any Error = ProtocolError.connection(address: settings.bootstrapServers.joined(separator: ","), reason: "no broker")
        for address in Array(brokerAddresses.values) + settings.bootstrapServers {
            do {
                let connection = try BrokerConnection(address: address, clientID: settings.clientID, timeoutMs: settings.requestTimeoutMs)
                metadataConnection = connection
                return connection
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// The index of `name` in the topic table, fetching its metadata the first time.
    private func index(ofTopic name: String) throws -> Int {
        if let known = topicIndex[name] { return known }
        let metadata = try fetchMetadata([name])
        guard let described = metadata.topics.first(where: { $0.name == name }), described.error == 0, described.partitions > 0 else {
            let code = metadata.topics.first(where: { $0.name == name })?.error ?? 3
            throw NativeProducerError.rejected(topic: name, partition: -1, code: code, name: KafkaErrorCode.name(code))
        }
        let state = NativeTopic(name: name, index: topics.count, partitionCount: described.partitions)
        for partition in state.partitions { partition.leader = described.leaders[Int(partition.index)] }
        topics.append(state)
        topicIndex[name] = topics.count - 1
        return topics.count - 1
    }

    private func fetchMetadata(_ names: [String]) throws -> ControlPlaneClient.Metadata {
        do {
            let metadata = try ControlPlaneClient.metadata(try controlConnection(), topics: names)
            for broker in metadata.brokers { brokerAddresses[broker.id] = broker.address }
            metadataFetchedNanos = MonotonicClock.nanoseconds()
            return metadata
        } catch {
            metadataConnection = nil
            throw error
        }
    }

    private func refreshMetadata(_ now: UInt64) {
        metadataAttemptNanos = now &+ UInt64(settings.retryBackoffMs) &* 1_000_000
        guard !topics.isEmpty else { return }
        let metadata: ControlPlaneClient.Metadata
        do {
            metadata = try fetchMetadata(topics.map(\.name))
        } catch {
            metadataStale = true
            return
        }
        metadataStale = false
        for state in topics {
            guard let described = metadata.topics.first(where: { $0.name == state.name }) else { continue }
            if described.error == 3 {
                for partition in state.partitions where !partition.unacked.isEmpty {
                    fail(partition, error: .rejected(topic: state.name, partition: partition.index, code: 3, name: KafkaErrorCode.name(3)))
                }
                continue
            }
            if described.partitions > state.partitions.count {
                let topicNumber = topicIndex[state.name]!
                for index in state.partitions.count..<described.partitions {
                    state.partitions.append(NativePartition(topic: topicNumber, index: Int32(index)))
                }
            }
            for partition in state.partitions where Int(partition.index) < described.leaders.count {
                partition.leader = described.leaders[Int(partition.index)]
                if partition.leader < 0 { metadataStale = true }
            }
        }
    }

    private static func wallClockMilliseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }
}
