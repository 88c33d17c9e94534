import SluiceRuntime

/// The connectors that come with Sluice, by the names users write for them.
public enum BuiltinConnectors {
    /// A registry of datagen, FileStreamSource, FileStreamSink and null.
    public static var registry: ConnectorRegistry {
        var registry = ConnectorRegistry()
        registry.register(
            ["datagen", "DatagenConnector", "io.confluent.kafka.connect.datagen.DatagenConnector"],
            .source { DatagenConnector() })
        registry.register(
            ["FileStreamSource", "org.apache.kafka.connect.file.FileStreamSourceConnector"],
            .source { FileStreamSourceConnector() })
        registry.register(
            ["FileStreamSink", "org.apache.kafka.connect.file.FileStreamSinkConnector"],
            .sink { FileStreamSinkConnector() })
        registry.register(["null", "NullSinkConnector"], .sink { NullSinkConnector() })
        return registry
    }
}
