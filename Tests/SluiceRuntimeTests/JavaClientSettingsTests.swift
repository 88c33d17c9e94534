import Testing

@testable import SluiceRuntime

/// Kafka's Java client settings in worker files, as librdkafka's (``JavaClientSettings``).
@Suite("Java client settings in worker files")
struct JavaClientSettingsTests {
    @Test("a PLAIN or SCRAM sasl.jaas.config becomes sasl.username and sasl.password; the rest of the file passes")
    func jaas() {
        for module in ["org.apache.kafka.common.security.plain.PlainLoginModule", "org.apache.kafka.common.security.scram.ScramLoginModule"] {
            let result = JavaClientSettings.translate([
                "sasl.jaas.config": #"\#(module) required username="alice" password="p a\"ss";"#,
                "sasl.mechanism": "SCRAM-SHA-512", "security.protocol": "SASL_SSL",
            ], label: "producer")
            #expect(result.settings == [
                "sasl.username": "alice", "sasl.password": #"p a"ss"#, "sasl.mechanism": "SCRAM-SHA-512", "security.protocol": "SASL_SSL",
            ])
            #expect(result.notices == ["producer.sasl.jaas.config: translated to sasl.username and sasl.password"])
            #expect(result.problems.isEmpty)
        }
    }

    @Test("a login module librdkafka cannot use, or a line that is not one, is refused without repeating the password")
    func jaasRefused() {
        let kerberos = JavaClientSettings.translate(
            ["sasl.jaas.config": #"com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true keyTab="/k";"#], label: "consumer")
        #expect(kerberos.problems.map(\.name) == ["consumer.sasl.jaas.config"])
        #expect(kerberos.problems.first?.message.contains("sasl.kerberos.*") == true)
        for broken in [
            #"org.apache.kafka.common.security.plain.PlainLoginModule username="u" password="secret-1";"#,
            #"org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="secret-1"#,
            #"org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password;"#,
            #"org.apache.kafka.common.security.plain.PlainLoginModule required username="u";"#,
        ] {
            let result = JavaClientSettings.translate(["sasl.jaas.config": broken], label: "producer")
            #expect(result.problems.count == 1, "\(broken)")
            #expect(result.settings["sasl.password"] == nil)
            let text = result.problems.map { "\($0.value) \($0.message)" }.joined()
            #expect(!text.contains("secret-1"), "\(text)")
        }
    }

    @Test("PEM trust and key stores become librdkafka's locations; PKCS12 key stores pass; JKS is refused with how to convert")
    func stores() {
        let pem = JavaClientSettings.translate([
            "ssl.truststore.location": "/etc/ca.pem", "ssl.truststore.type": "PEM", "ssl.truststore.password": "x",
            "ssl.keystore.location": "/etc/me.pem", "ssl.keystore.type": "pem", "ssl.key.password": "k",
        ], label: "consumer")
        #expect(pem.settings == [
            "ssl.ca.location": "/etc/ca.pem", "ssl.certificate.location": "/etc/me.pem", "ssl.key.location": "/etc/me.pem",
            "ssl.key.password": "k",
        ])
        #expect(pem.problems.isEmpty)
        #expect(pem.notices == [
            "consumer.ssl.keystore.location: translated to ssl.certificate.location and ssl.key.location",
            "consumer.ssl.truststore.location: translated to ssl.ca.location",
            "consumer.ssl.truststore.password: a Java client setting librdkafka has no counterpart for; skipped",
        ])
        let pkcs12 = JavaClientSettings.translate(
            ["ssl.keystore.location": "/etc/me.p12", "ssl.keystore.type": "PKCS12", "ssl.keystore.password": "k"], label: "producer")
        #expect(pkcs12.settings == ["ssl.keystore.location": "/etc/me.p12", "ssl.keystore.password": "k"])
        let jks = JavaClientSettings.translate(["ssl.truststore.location": "/etc/trust.jks", "ssl.keystore.location": "/etc/me.jks"], label: "producer")
        #expect(jks.problems.map(\.name) == ["producer.ssl.keystore.location", "producer.ssl.truststore.location"])
        #expect(jks.problems.allSatisfy { $0.message.contains("keytool") })
        #expect(jks.settings.isEmpty)
    }

    @Test("Java-only settings are skipped with a notice; assignor classes and buffer sizes are translated; librdkafka's own names and typos stay")
    func javaOnlyAndNames() {
        let result = JavaClientSettings.translate([
            "max.poll.records": "500", "key.deserializer": "org.apache.kafka.common.serialization.ByteArrayDeserializer",
            "partition.assignment.strategy": "org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
            "receive.buffer.bytes": "65536", "fetch.min.bytes": "1", "fetch.min.byts": "1",
        ], label: "consumer")
        #expect(result.settings == [
            "partition.assignment.strategy": "cooperative-sticky", "socket.receive.buffer.bytes": "65536",
            "fetch.min.bytes": "1", "fetch.min.byts": "1",
        ])
        #expect(Set(result.notices) == [
            "consumer.key.deserializer: a Java client setting librdkafka has no counterpart for; skipped",
            "consumer.max.poll.records: a Java client setting librdkafka has no counterpart for; skipped",
            "consumer.partition.assignment.strategy: translated to cooperative-sticky",
            "consumer.receive.buffer.bytes: translated to socket.receive.buffer.bytes",
        ])
        let sticky = JavaClientSettings.translate(["partition.assignment.strategy": "org.apache.kafka.clients.consumer.StickyAssignor"], label: "consumer")
        #expect(sticky.problems.map(\.name) == ["consumer.partition.assignment.strategy"])
    }

    @Test("a worker file with Apache Kafka's client settings starts: Java-only ones noted, JAAS translated, a typo still an error")
    func workerFile() throws {
        let config = try WorkerConfig(properties: [
            "bootstrap.servers": "localhost:9092", "producer.buffer.memory": "33554432", "consumer.max.poll.records": "500",
            "producer.security.protocol": "SASL_PLAINTEXT", "producer.sasl.mechanism": "PLAIN",
            "producer.sasl.jaas.config": #"org.apache.kafka.common.security.plain.PlainLoginModule required username="connect" password="pw";"#,
        ])
        #expect(config.producer["sasl.username"] == "connect" && config.producer["sasl.password"] == "pw")
        #expect(config.producer["sasl.jaas.config"] == nil && config.producer["buffer.memory"] == nil)
        #expect(config.consumer["max.poll.records"] == nil)
        #expect(config.notices.count == 3, "\(config.notices)")
        #expect(throws: RuntimeError.self) {
            _ = try WorkerConfig(properties: ["bootstrap.servers": "localhost:9092", "producer.linger.mss": "5"])
        }
        let distributed = try DistributedWorkerConfig(properties: [
            "bootstrap.servers": "localhost:9092", "group.id": "g", "config.storage.topic": "c", "offset.storage.topic": "o",
            "status.storage.topic": "s", "security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "PLAIN",
            "sasl.jaas.config": #"org.apache.kafka.common.security.plain.PlainLoginModule required username="w" password="q";"#,
        ])
        #expect(distributed.clientConfiguration["sasl.username"] == "w")
        #expect(distributed.base.producer["sasl.password"] == "q")
        #expect(distributed.ignored.isEmpty, "\(distributed.ignored)")
    }
}
