import SluiceRuntime

/// The SQL source's connector class, by the names Kafka Connect users write for it.
public enum SQLConnectors {
    /// The names `connector.class` may give: Confluent's JDBC source connector, the
    /// name the Kafka Connect documentation's example uses, and the short names.
    public static let sourceNames = [
        "io.confluent.connect.jdbc.JdbcSourceConnector", "org.apache.kafka.connect.jdbc.JdbcSourceConnector",
        "JdbcSourceConnector", "SQLSource",
    ]

    /// Adds the SQL source to `registry`.
    public static func register(into registry: inout ConnectorRegistry) {
        registry.register(sourceNames, .source { SQLSourceConnector() })
    }
}
