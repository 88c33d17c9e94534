import Foundation
@testable import SluiceRuntime
import Testing

@Suite("config.providers: which references resolve, and from where")
struct ConfigProvidersTests {
    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("providers-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder + "/allowed", withIntermediateDirectories: true)
        try "password=hunter2\n".write(toFile: folder + "/allowed/db.properties", atomically: true, encoding: .utf8)
        try "password=other\n".write(toFile: folder + "/outside.properties", atomically: true, encoding: .utf8)
    }

    func resolver(_ extra: [String: String] = [:]) throws -> SecretResolver {
        var properties = [
            "config.providers": "file,env",
            "config.providers.file.class": "org.apache.kafka.common.config.provider.FileConfigProvider",
            "config.providers.file.param.allowed.paths": folder + "/allowed",
            "config.providers.env.class": "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
            "config.providers.env.param.allowlist.pattern": "DB_.*",
        ]
        for (key, value) in extra { properties[key] = value }
        return SecretResolver(environment: ["DB_PASSWORD": "pw", "HOME_SECRET": "no"], providers: try ConfigProviders(properties: properties))
    }

    @Test("declared providers resolve inside their limits")
    func allowed() throws {
        let resolver = try resolver()
        #expect(try resolver.resolve("${file:\(folder)/allowed/db.properties:password}", setting: "p") == "hunter2")
        #expect(try resolver.resolve("${env:DB_PASSWORD}", setting: "p") == "pw")
    }

    @Test("outside the allowed paths (also through ..), outside the allowlist, or an undeclared provider: an error naming the setting, never a value")
    func refused() throws {
        let resolver = try resolver()
        for reference in [
            "${file:\(folder)/outside.properties:password}", "${file:\(folder)/allowed/../outside.properties:password}",
            "${env:HOME_SECRET}", "${vault:secret/x}",
        ] {
            #expect {
                _ = try resolver.resolve(reference, setting: "connection.password")
            } throws: { error in
                let text = "\(error)"
                return text.contains("connection.password") && !text.contains("other") && !text.contains("\"no\"")
            }
        }
        let problems = resolver.referenceProblems(in: [
            "a": "${file:\(folder)/outside.properties:password}", "b": "plain", "c": "${env:DB_PASSWORD}",
        ])
        #expect(problems.map(\.name) == ["a"])
        #expect(problems.first?.message.contains("allowed.paths") == true)
    }

    @Test("no config.providers keeps env and file unrestricted; an unknown provider class is refused")
    func defaults() throws {
        let open = SecretResolver(environment: ["X": "1"], providers: try ConfigProviders(properties: [:]))
        #expect(try open.resolve("${env:X}", setting: "s") == "1")
        #expect(try open.resolve("${file:\(folder)/outside.properties:password}", setting: "s") == "other")
        #expect(throws: RuntimeError.self) {
            _ = try ConfigProviders(properties: ["config.providers": "vault", "config.providers.vault.class": "com.example.Vault"])
        }
    }

    @Test("a standalone connector whose reference is outside the allowed paths is refused when it is added")
    func validationError() throws {
        let standalone = try StandaloneWorker(
            config: WorkerConfig(properties: ["bootstrap.servers": "127.0.0.1:1"]), registry: .testing, resolver: try resolver())
        #expect {
            try standalone.add(ConnectorConfigFile(name: "s", config: [
                "connector.class": "recording-sink", "topics": "t", "connection.password": "${file:\(folder)/outside.properties:password}",
            ]))
        } throws: { error in
            guard case let RuntimeError.invalidConnectorConfig(_, problems) = error else { return false }
            return problems.map(\.name) == ["connection.password"]
        }
    }
}
