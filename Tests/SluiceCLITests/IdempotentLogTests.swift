import Testing

/// The drills' stand-in for Kafka's sequence check, tested on batches made by hand.
@Suite("Kafka's idempotence check applied to a log")
struct IdempotentLogTests {
    private func batch(_ offset: Int64, producer: Int64 = 7, sequence: Int32, values: [UInt8]) -> PartitionLog.Batch {
        PartitionLog.Batch(baseOffset: offset, producerID: producer, epoch: 0, baseSequence: sequence, values: values.map { [$0] })
    }

    @Test("batches resent after a dropped connection are dropped; the rest is kept in order")
    func resends() {
        let a = batch(0, sequence: 0, values: [1, 2])
        let b = batch(2, sequence: 2, values: [3])
        let log = IdempotentLog([a, b, batch(3, sequence: 0, values: [1, 2]), batch(5, sequence: 2, values: [3]), batch(6, sequence: 3, values: [4])])
        #expect(log.values == [[1], [2], [3], [4]])
        #expect(log.resends == 2)
        #expect(log.refused.isEmpty)
    }

    @Test("a gap, a sequence that does not start at 0 and a changed resend are refused")
    func refused() {
        let log = IdempotentLog([
            batch(0, sequence: 0, values: [1]),
            batch(1, sequence: 2, values: [3]),  // gap: 1 missing
            batch(2, producer: 8, sequence: 5, values: [9]),  // a new producer starts at 0
            batch(3, sequence: 0, values: [5]),  // same sequence, other records
        ])
        #expect(log.values == [[1]])
        #expect(log.resends == 0)
        #expect(log.refused.count == 3)
    }

    @Test("a new producer id starts again at sequence 0")
    func newProducer() {
        let log = IdempotentLog([batch(0, sequence: 0, values: [1]), batch(1, producer: 9, sequence: 0, values: [2])])
        #expect(log.values == [[1], [2]])
        #expect(log.refused.isEmpty)
    }
}
