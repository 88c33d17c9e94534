import SluiceKafka
import Testing

@Suite("KafkaConfiguration")
struct KafkaConfigurationTests {
    @Test("an unknown property is rejected with its name")
    func unknownProperty() {
        var config = KafkaConfiguration(bootstrapServers: "127.0.0.1:9092")
        config["no.such.property"] = "1"
        #expect {
            try config.validate()
        } throws: { error in
            guard case let KafkaError.invalidProperty(name, value, reason) = error else { return false }
            return name == "no.such.property" && value == "1" && reason.contains("No such configuration property")
        }
    }

    @Test("an ill-typed value is rejected with its name", arguments: [
        ("compression.type", "gzipx"), ("linger.ms", "soon"), ("acks", "maybe"),
    ])
    func badValue(name: String, value: String) {
        var config = KafkaConfiguration()
        config[name] = value
        #expect {
            try config.validate()
        } throws: { error in
            guard case let KafkaError.invalidProperty(badName, _, _) = error else { return false }
            return badName == name && "\(error)".contains("'\(name)=\(value)'")
        }
    }

    @Test("name=value assignments parse, later values win, and a missing = is an error")
    func assignments() throws {
        var config = KafkaConfiguration()
        try config.set(assignment: "linger.ms=5")
        try config.set(assignment: "client.id=a=b")
        try config.set(assignment: "linger.ms=7")
        #expect(config["linger.ms"] == "7")
        #expect(config["client.id"] == "a=b")
        #expect(config.properties.count == 2)
        #expect(throws: KafkaError.self) { try config.set(assignment: "linger.ms") }
        try config.validate()
    }
}
