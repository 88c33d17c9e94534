import Foundation
import SluiceKafka

/// Kafka's Java client settings, as a Kafka Connect worker file gives them to its
/// producers and consumers (`producer.*`, `consumer.*`, and in distributed mode the
/// unprefixed ones), turned into librdkafka's.
///
/// Most settings mean the same to both clients and pass as they are. The rest:
///
/// | Java client | librdkafka |
/// | --- | --- |
/// | `sasl.jaas.config` with `PlainLoginModule` or `ScramLoginModule` | `sasl.username`, `sasl.password` |
/// | `sasl.jaas.config` with another login module | refused, naming librdkafka's settings |
/// | `ssl.truststore.location` (`ssl.truststore.type=PEM`) | `ssl.ca.location` |
/// | `ssl.truststore.certificates` | `ssl.ca.pem` |
/// | `ssl.keystore.location` (`ssl.keystore.type=PEM`) | `ssl.certificate.location` and `ssl.key.location` (one file) |
/// | `ssl.keystore.location` (`PKCS12`) | the same name (librdkafka reads PKCS#12 keystores) |
/// | `ssl.keystore.certificate.chain`, `ssl.keystore.key` | `ssl.certificate.pem`, `ssl.key.pem` |
/// | a JKS truststore or keystore (Java's default type) | refused, saying how to export PEM |
/// | `partition.assignment.strategy` with Java class names | `range`, `roundrobin`, `cooperative-sticky` |
/// | `send.buffer.bytes`, `receive.buffer.bytes` | `socket.send.buffer.bytes`, `socket.receive.buffer.bytes` |
/// | Java-only settings (serializers, `buffer.memory`, `max.poll.records`, ...) | skipped, with a notice |
///
/// A setting librdkafka does not know and that is none of these stays, so the
/// client's validation reports it as before (a typo is an error, not a notice).
package enum JavaClientSettings {
    /// What translating one client's settings gave.
    package struct Result: Equatable {
        /// The settings for librdkafka.
        package var settings: [String: String] = [:]
        /// One line per setting skipped or translated, for the worker's log.
        package var notices: [String] = []
        /// Settings that cannot be translated: (name, value, message).
        package var problems: [Problem] = []
    }

    /// A setting that cannot be used, and why.
    package struct Problem: Equatable {
        package var name: String
        package var value: String
        package var message: String
    }

    /// Settings only Java clients have; librdkafka has nothing that does their work.
    static let javaOnly: Set<String> = [
        "key.serializer", "value.serializer", "key.deserializer", "value.deserializer", "buffer.memory",
        "max.block.ms", "max.poll.records", "interceptor.classes", "metric.reporters", "metrics.num.samples",
        "metrics.sample.window.ms", "metrics.recording.level", "default.api.timeout.ms", "client.dns.lookup",
        "ssl.truststore.password", "ssl.protocol",
        "ssl.keymanager.algorithm", "ssl.trustmanager.algorithm", "ssl.secure.random.implementation",
        "sasl.login.callback.handler.class", "sasl.client.callback.handler.class", "security.providers",
        "auto.include.jmx.reporter", "partitioner.class", "partitioner.ignore.keys", "partitioner.adaptive.partitioning.enable",
        "partitioner.availability.timeout.ms", "retry.backoff.max.ms", "reconnect.backoff.max.ms",
        "allow.auto.create.topics", "exclude.internal.topics", "internal.leave.group.on.close",
    ]

    /// Java's assignor classes and librdkafka's names for them.
    static let assignors = [
        "org.apache.kafka.clients.consumer.RangeAssignor": "range",
        "org.apache.kafka.clients.consumer.RoundRobinAssignor": "roundrobin",
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor": "cooperative-sticky",
    ]

    /// Translates one client's settings (names without their `producer.`/`consumer.`
    /// prefix); `label` names the client in notices and problems (`producer`, say).
    package static func translate(_ settings: [String: String], label: String) -> Result {
        var result = Result()
        func named(_ name: String) -> String { label.isEmpty ? name : label + "." + name }
        func note(_ name: String, _ text: String) { result.notices.append("\(named(name)): \(text)") }
        func refuse(_ name: String, _ value: String, _ message: String) {
            result.problems.append(Problem(name: named(name), value: value, message: message))
        }
        func set(_ name: String, _ value: String) {
            if settings[name] == nil && result.settings[name] == nil { result.settings[name] = value }
        }
        for (name, value) in settings.sorted(by: { $0.key < $1.key }) {
            switch name {
            case "sasl.jaas.config":
                switch JaasConfig.parse(value) {
                case let .success(jaas) where jaas.isUserAndPassword:
                    guard let user = jaas.options["username"], let password = jaas.options["password"] else {
                        refuse(name, "[hidden]", "\(jaas.module) needs username and password options")
                        continue
                    }
                    set("sasl.username", user)
                    set("sasl.password", password)
                    note(name, "translated to sasl.username and sasl.password")
                case let .success(jaas):
                    refuse(name, "[hidden]", "librdkafka cannot use the login module \(jaas.module): set sasl.kerberos.* for GSSAPI or sasl.oauthbearer.* for OAUTHBEARER instead")
                case let .failure(reason):
                    refuse(name, "[hidden]", "not a JAAS login module line: \(reason)")
                }
            case "ssl.truststore.location":
                switch settings["ssl.truststore.type"]?.uppercased() ?? "JKS" {
                case "PEM":
                    set("ssl.ca.location", value)
                    note(name, "translated to ssl.ca.location")
                case let type:
                    refuse(name, value, "librdkafka reads PEM trust stores only, not \(type): export the CA certificates (keytool -exportcert -rfc -keystore \(value) -alias <alias>) into a PEM file and set ssl.truststore.type=PEM")
                }
            case "ssl.truststore.certificates":
                set("ssl.ca.pem", value)
                note(name, "translated to ssl.ca.pem")
            case "ssl.keystore.location":
                switch settings["ssl.keystore.type"]?.uppercased() ?? "JKS" {
                case "PEM":
                    set("ssl.certificate.location", value)
                    set("ssl.key.location", value)
                    note(name, "translated to ssl.certificate.location and ssl.key.location")
                case "PKCS12":
                    result.settings[name] = value
                case let type:
                    refuse(name, value, "librdkafka reads PKCS12 and PEM key stores, not \(type): convert it (keytool -importkeystore -srckeystore \(value) -deststoretype PKCS12 -destkeystore keystore.p12) and set ssl.keystore.type=PKCS12")
                }
            case "ssl.keystore.certificate.chain":
                set("ssl.certificate.pem", value)
                note(name, "translated to ssl.certificate.pem")
            case "ssl.keystore.key":
                set("ssl.key.pem", value)
                note(name, "translated to ssl.key.pem")
            case "send.buffer.bytes", "receive.buffer.bytes":
                set("socket." + name, value)
                note(name, "translated to socket.\(name)")
            case "partition.assignment.strategy" where value.contains("org.apache.kafka"):
                let names = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                let translated = names.compactMap { assignors[$0] }
                guard translated.count == names.count else {
                    refuse(name, value, "librdkafka has the range, roundrobin and cooperative-sticky assignors only")
                    continue
                }
                result.settings[name] = translated.joined(separator: ",")
                note(name, "translated to \(translated.joined(separator: ","))")
            case "ssl.truststore.type", "ssl.keystore.type":
                continue  // read with the location above
            default:
                if javaOnly.contains(name) && !Self.librdkafkaKnows(name, value) {
                    note(name, "a Java client setting librdkafka has no counterpart for; skipped")
                } else {
                    result.settings[name] = value
                }
            }
        }
        return result
    }

    /// Whether librdkafka accepts `name` = `value`.
    static func librdkafkaKnows(_ name: String, _ value: String) -> Bool {
        var probe = KafkaConfiguration()
        probe[name] = value
        return (try? probe.validate()) != nil
    }
}
