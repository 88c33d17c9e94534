import Foundation
import Atomics
import SluiceCore
import SluiceKafka
import Synchronization

/// The one thread that reads a distributed worker's three internal topics (config,
/// status, offsets): it tails them continuously and hands every record to the
/// herder's handlers. Other threads never touch the readers; a thread that needs a
/// view as new as the topics' ends (a REST request after its write, the leader
/// before it assigns, a task about to resume) asks for a ``sync(_:timeoutMs:)`` of a
/// topic and waits until this thread has read it to the end it had when it asked.
///
/// Thread-safety: the readers belong to the tail thread (and to the caller of
/// ``readAllToEnd(timeoutMs:)`` before ``start()``); sync tickets are behind a mutex.
final class InternalTopicTail: @unchecked Sendable {
    /// Which internal topic a record came from.
    enum Topic: Int, CaseIterable { case config, status, offsets }

    private let readers: [(Topic, TopicReader)]
    private let handle: @Sendable (Topic, TopicReader.Entry) -> Void
    private let log: @Sendable (String) -> Void
    /// Per topic: sync tickets handed out, the last one the tail thread has served,
    /// and the error that stopped it from serving it, if any.
    private struct Tickets {
        var requested = 0
        var served = 0
        var failure: String?
    }
    private let tickets = Mutex<[Tickets]>(Array(repeating: Tickets(), count: Topic.allCases.count))
    private let running = ManagedAtomic<Bool>(false)
    private var thread: PinnedThread?

    /// Readers of the three topics, from their beginnings.
    init(
        configTopic: String, statusTopic: String, offsetTopic: String, configuration: KafkaConfiguration,
        log: @escaping @Sendable (String) -> Void, handle: @escaping @Sendable (Topic, TopicReader.Entry) -> Void
    ) throws {
        readers = [
            (.config, try TopicReader(topic: configTopic, configuration: configuration)),
            (.status, try TopicReader(topic: statusTopic, configuration: configuration)),
            (.offsets, try TopicReader(topic: offsetTopic, configuration: configuration)),
        ]
        self.handle = handle
        self.log = log
    }

    /// Reads every topic to its end on the calling thread; only before ``start()``.
    func readAllToEnd(timeoutMs: Int) throws {
        for (topic, reader) in readers { try reader.readToEnd(timeoutMs: timeoutMs) { handle(topic, $0) } }
    }

    /// Starts the tail thread.
    func start() throws {
        running.store(true, ordering: .releasing)
        thread = try PinnedThread(name: "sluice-topics") { [self] in run() }
    }

    /// Stops the tail thread; a waiting ``sync(timeoutMs:)`` then times out.
    func stop() {
        running.store(false, ordering: .releasing)
        thread?.join()
        thread = nil
    }

    /// Waits until the tail thread has read `topic` to the end it had at this call.
    /// - Throws: ``KafkaError/consumeFailed(reason:)`` when that fails or takes longer than `timeoutMs`.
    func sync(_ topic: Topic, timeoutMs: Int) throws {
        let ticket = tickets.withLock { all -> Int in
            all[topic.rawValue].requested += 1
            return all[topic.rawValue].requested
        }
        let deadline = MonotonicClock.nanoseconds() + UInt64(max(timeoutMs, 0)) * 1_000_000
        while true {
            let current = tickets.withLock { $0[topic.rawValue] }
            if current.served >= ticket {
                if let failure = current.failure { throw KafkaError.consumeFailed(reason: failure) }
                return
            }
            guard MonotonicClock.nanoseconds() < deadline else {
                throw KafkaError.consumeFailed(reason: "the \(topic) topic was not read to its end within \(timeoutMs) ms")
            }
            usleep(1_000)
        }
    }

    private func run() {
        while running.load(ordering: .acquiring) {
            // Serve sync tickets first: the ends are taken now, so every write made
            // before a ticket was handed out is read before it is served.
            let wanted = tickets.withLock { all in all.map { $0.requested > $0.served ? $0.requested : nil } }
            for (topic, reader) in readers {
                guard let ticket = wanted[topic.rawValue] else { continue }
                var failure: String?
                do { try reader.readToEnd(timeoutMs: 10_000) { handle(topic, $0) } } catch { failure = "\(error)" }
                tickets.withLock {
                    $0[topic.rawValue].served = ticket
                    $0[topic.rawValue].failure = failure
                }
            }
            do {
                for (topic, reader) in readers { try reader.poll(timeoutMs: 5) { handle(topic, $0) } }
            } catch {
                log("reading the internal topics failed: \(error)")
                usleep(200_000)
            }
        }
    }
}
