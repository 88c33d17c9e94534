/// Where a benchmark's text goes while it runs.
///
/// The report is what `sluice bench` prints on stdout: a header, one line per row as
/// it is measured, the final table and the files written. Diagnostics are warnings
/// and, when ``drawsProgress`` is set, a live progress line redrawn in place with
/// terminal escape codes.
///
/// ```swift
/// let lines = Mutex<[String]>([])
/// let output = BenchOutput(report: { text in lines.withLock { $0.append(text) } })
/// ```
public struct BenchOutput: Sendable {
    /// Receives the report's text, in pieces that end with a newline.
    public var report: @Sendable (String) -> Void
    /// Receives warnings (whole lines) and progress lines.
    public var diagnostics: @Sendable (String) -> Void
    /// Whether to draw live progress lines on ``diagnostics``.
    public var drawsProgress: Bool

    /// An output with the given receivers; diagnostics are dropped unless given.
    public init(
        report: @escaping @Sendable (String) -> Void, diagnostics: @escaping @Sendable (String) -> Void = { _ in },
        drawsProgress: Bool = false
    ) {
        self.report = report
        self.diagnostics = diagnostics
        self.drawsProgress = drawsProgress
    }

    /// The report on stdout, diagnostics on stderr, progress only when stderr is a
    /// terminal: what `sluice bench` prints.
    public static var standard: BenchOutput {
        BenchOutput(
            report: { FileHandleOutput.standardOutput.write($0) },
            diagnostics: { FileHandleOutput.standardError.write($0) },
            drawsProgress: FileHandleOutput.standardError.isTerminal)
    }

    /// Nothing printed; the results are only returned (and written to the plan's files).
    public static var silent: BenchOutput {
        BenchOutput(report: { _ in })
    }
}
