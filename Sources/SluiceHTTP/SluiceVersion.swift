/// The version the REST API reports at `GET /`.
public enum SluiceVersion {
    /// Sluice's version.
    public static let current = "0.4.0"
    /// The git commit the binary was built from (16 hex digits, as Kafka Connect
    /// shows its own), or `"unknown"` when it was built outside a git checkout.
    /// `Plugins/BuildCommitPlugin` writes it before every build.
    public static let commit = BuildCommit.hash
}
