import Foundation
import SluiceConnectors
import SluiceCore
import SluiceKafka

/// The peers of `--peers`: the raw librdkafka produce loop (in this process),
/// `kcat -P` from a file of the same records, `kcat -C` reading them back to a
/// file, and the Python `confluent-kafka` producer loop when it is installed.
enum PeerRun {
    static func measure(
        recordSize: Int, codec: String, records: Int, keyCardinality: Int, partitions: Int,
        cluster: RunningCluster, producer: KafkaConfiguration, tag: String, folder: String
    ) throws -> [PeerFigures] {
        let broker = cluster.broker
        let bootstrap = cluster.bootstrapServers
        var peers: [PeerFigures] = []
        var config = producer
        config["bootstrap.servers"] = bootstrap
        config["compression.type"] = codec
        // The raw loop, one thread, the same keys and values as datagen.
        let rawTopic = "peer-raw-\(tag)"
        try broker?.createTopic(rawTopic, partitions: partitions)
        let setup = BenchRunSetup(
            tasks: 1, records: records, recordSize: recordSize, keyCardinality: keyCardinality, codec: codec,
            mode: .direct, cpus: CPUSet.available(), idle: .backoff(), batchBytes: 1 << 20, batchCount: 16,
            producer: config, valueFormat: "bytes", connectorConfig: [:])
        let raw = try RawBenchRun.measure(setup, topic: rawTopic)
        peers.append(PeerFigures(
            name: "librdkafka loop", recordSize: recordSize, compression: codec, records: records,
            recordsPerSecond: raw.recordsPerSecond, cpuSecondsPerMillion: raw.cpuSecondsPerMillion))

        if MeasuredCommand.available("kcat") {
            let input = "\(folder)/peer-\(recordSize).txt"
            if !FileManager.default.fileExists(atPath: input) {
                try writeLines(path: input, count: records, size: recordSize, keyCardinality: keyCardinality)
            }
            let topic = "peer-kcat-\(tag)"
            try broker?.createTopic(topic, partitions: partitions)
            let produce = try MeasuredCommand.run(
                ["kcat", "-P", "-b", bootstrap, "-t", topic, "-z", codec == "none" ? "none" : codec, "-X", "log_level=0",
                 "-X", "sticky.partitioning.linger.ms=0", "-l"] + (keyCardinality > 0 ? ["-K", "\t"] : []) + [input])
            if produce.status == 0 {
                peers.append(PeerFigures(
                    name: "kcat -P", recordSize: recordSize, compression: codec, records: records,
                    recordsPerSecond: Double(records) / produce.seconds, cpuSecondsPerMillion: produce.cpuSeconds / Double(records) * 1e6))
                let consume = try MeasuredCommand.run(
                    ["kcat", "-C", "-b", bootstrap, "-t", topic, "-e", "-q", "-X", "log_level=0", "-c", String(records)],
                    outputPath: "\(folder)/peer-consumed.txt")
                // Count what was read: the embedded broker keeps only the newest 5 MiB
                // of each partition, so kcat -C may read fewer records than were written.
                let read = try countLines("\(folder)/peer-consumed.txt")
                if consume.status == 0 && read > 0 {
                    peers.append(PeerFigures(
                        name: "kcat -C", recordSize: recordSize, compression: codec, records: read,
                        recordsPerSecond: Double(read) / consume.seconds, cpuSecondsPerMillion: consume.cpuSeconds / Double(read) * 1e6))
                }
                try? FileManager.default.removeItem(atPath: "\(folder)/peer-consumed.txt")
            }
        }
        if let python = confluentKafkaPython() {
            let topic = "peer-python-\(tag)"
            try broker?.createTopic(topic, partitions: partitions)
            let script = """
                import sys
                from confluent_kafka import Producer
                p = Producer({'bootstrap.servers': sys.argv[1], 'compression.type': sys.argv[3], 'log_level': 0})
                value = b'x' * int(sys.argv[4])
                for i in range(int(sys.argv[5])):
                    while True:
                        try:
                            p.produce(sys.argv[2], value, str(i % 1000).zfill(10).encode())
                            break
                        except BufferError:
                            p.poll(0.01)
                    if i % 10000 == 0:
                        p.poll(0)
                p.flush()
                """
            let path = "\(folder)/peer.py"
            try script.write(toFile: path, atomically: true, encoding: .utf8)
            let run = try MeasuredCommand.run([python, path, bootstrap, topic, codec, String(recordSize), String(records)])
            if run.status == 0 {
                peers.append(PeerFigures(
                    name: "confluent-kafka (Python)", recordSize: recordSize, compression: codec, records: records,
                    recordsPerSecond: Double(records) / run.seconds, cpuSecondsPerMillion: run.cpuSeconds / Double(records) * 1e6))
            }
        }
        return peers
    }

    static func countLines(_ path: String) throws -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else { return 0 }
        defer { try? handle.close() }
        var count = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            count += chunk.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        }
        return count
    }

    /// `kcat -C` reading `records` records of `topic` to a file (the sink direction's peer).
    static func consume(topic: String, records: Int, recordSize: Int, codec: String, bootstrap: String, folder: String) throws -> PeerFigures? {
        guard MeasuredCommand.available("kcat") else { return nil }
        let output = "\(folder)/sink-peer.txt"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let run = try MeasuredCommand.run(
            ["kcat", "-C", "-b", bootstrap, "-t", topic, "-e", "-q", "-X", "log_level=0", "-c", String(records)], outputPath: output)
        let read = try countLines(output)
        guard run.status == 0, read > 0 else { return nil }
        return PeerFigures(
            name: "kcat -C", recordSize: recordSize, compression: codec, records: read,
            recordsPerSecond: Double(read) / run.seconds, cpuSecondsPerMillion: run.cpuSeconds / Double(read) * 1e6)
    }

    /// Every peer for every record size and codec of a run, in one temporary folder;
    /// tags are `<tag>-<size>-<codec>`.
    static func measureAll(
        recordSizes: [Int], codecs: [String], records: Int, keyCardinality: Int, partitions: Int,
        cluster: RunningCluster, producer: KafkaConfiguration, tag: String
    ) throws -> [PeerFigures] {
        var figures: [PeerFigures] = []
        try withFolder { folder in
            for recordSize in recordSizes {
                for codec in codecs {
                    figures += try measure(
                        recordSize: recordSize, codec: codec, records: records, keyCardinality: keyCardinality,
                        partitions: partitions, cluster: cluster, producer: producer,
                        tag: "\(tag)-\(recordSize)-\(codec)", folder: folder)
                }
            }
        }
        return figures
    }

    /// Runs `body` with a temporary folder for the peers' files, removed afterwards
    /// (and on Ctrl-C, through ``ChildCleanup``).
    static func withFolder(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-peers-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        ChildCleanup.register(folder: folder)
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            ChildCleanup.unregister(folder: folder)
        }
        try body(folder)
    }

    /// `python3` if it can import confluent_kafka.
    static func confluentKafkaPython() -> String? {
        guard MeasuredCommand.available("python3"),
            let check = try? MeasuredCommand.run(["python3", "-c", "import confluent_kafka"]), check.status == 0
        else { return nil }
        return "python3"
    }

    /// `count` lines, each a value of `size` bytes of datagen's filler (kcat sends the
    /// line without its newline) and, with keys, one of datagen's keys and a tab before it.
    static func writeLines(path: String, count: Int, size: Int, keyCardinality: Int) throws {
        guard let handle = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }() else { throw BenchError.cannotWrite(path: path, reason: "cannot create it") }
        defer { try? handle.close() }
        let filler = DatagenRecordLayout.filler.map { $0 == UInt8(ascii: "\n") ? UInt8(ascii: " ") : $0 }
        var value = [UInt8](repeating: UInt8(ascii: "x"), count: size)
        for index in 0..<value.count { value[index] = filler[index % filler.count] == UInt8(ascii: "\t") ? UInt8(ascii: " ") : filler[index % filler.count] }
        value.append(UInt8(ascii: "\n"))
        let keys = keyCardinality > 0 ? DatagenRecordLayout.keys(cardinality: keyCardinality) : []
        var chunk: [UInt8] = []
        chunk.reserveCapacity(value.count * 10_000)
        for index in 0..<count {
            if !keys.isEmpty {
                chunk += keys[index % keys.count]
                chunk.append(UInt8(ascii: "\t"))
            }
            chunk += value
            if index % 10_000 == 9_999 {
                try handle.write(contentsOf: chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: chunk)
    }
}
