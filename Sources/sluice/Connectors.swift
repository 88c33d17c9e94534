import SluiceConnectors
import SluiceRuntime
import SluiceSQL

extension ConnectorRegistry {
    /// What the `sluice` command runs: the built-in connectors and the SQL source.
    static var sluice: ConnectorRegistry {
        var registry = BuiltinConnectors.registry
        SQLConnectors.register(into: &registry)
        return registry
    }
}
