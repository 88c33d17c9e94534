/// The version the REST API reports at `GET /`.
public enum SluiceVersion {
    /// Sluice's version.
    public static let current = "0.4.0"
    /// The source commit, when the build recorded one.
    public static let commit = "unknown"
}
