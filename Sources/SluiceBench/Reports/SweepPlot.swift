import Foundation

/// Draws a sweep as SVG: records/s against `tasks.max`, one line per worker count
/// (and per record size and codec when the sweep has several), the peers as
/// dashed horizontal reference lines, with axes, ticks and a legend, so the
/// picture reads without the table.
public enum SweepPlot {
    static let width = 980.0
    static let height = 520.0
    static let margin = (left: 90.0, right: 340.0, top: 50.0, bottom: 60.0)
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]

    /// The SVG document of `rows` and `peers` under `title`.
    public static func svg(_ rows: [SweepRow], peers: [PeerFigures] = [], title: String) -> String {
        let series = Dictionary(grouping: rows) { "\($0.workers)|\($0.recordSize)|\($0.compression)" }
            .sorted { lhs, rhs in
                let a = lhs.value[0], b = rhs.value[0]
                return (a.recordSize, a.compression, a.workers) < (b.recordSize, b.compression, b.workers)
            }
        let variants = Set(rows.map { "\($0.recordSize)|\($0.compression)" }).count
        let tasks = Array(Set(rows.map(\.tasks))).sorted()
        let highest = max(1, (rows.map(\.recordsPerSecond) + peers.map(\.recordsPerSecond)).max() ?? 1)
        let step = niceStep(highest / 5)
        let top = (highest / step).rounded(.up) * step
        let plotWidth = width - margin.left - margin.right
        let plotHeight = height - margin.top - margin.bottom
        func x(_ taskCount: Int) -> Double {
            guard tasks.count > 1, let index = tasks.firstIndex(of: taskCount) else { return margin.left + plotWidth / 2 }
            return margin.left + plotWidth * Double(index) / Double(tasks.count - 1)
        }
        func y(_ value: Double) -> Double { margin.top + plotHeight * (1 - value / top) }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(margin.left)" y="28" font-size="16" font-weight="bold">\(escape(title))</text>

            """
        // Axes, grid and ticks.
        for tick in 0...Int((top / step).rounded()) {
            let value = Double(tick) * step
            let at = y(value)
            svg += "<line x1=\"\(margin.left)\" y1=\"\(at)\" x2=\"\(margin.left + plotWidth)\" y2=\"\(at)\" stroke=\"#e5e5e5\"/>\n"
            svg += "<text x=\"\(margin.left - 8)\" y=\"\(at + 4)\" text-anchor=\"end\">\(escape(short(value)))</text>\n"
        }
        for taskCount in tasks {
            svg += "<line x1=\"\(x(taskCount))\" y1=\"\(margin.top + plotHeight)\" x2=\"\(x(taskCount))\" y2=\"\(margin.top + plotHeight + 5)\" stroke=\"black\"/>\n"
            svg += "<text x=\"\(x(taskCount))\" y=\"\(margin.top + plotHeight + 20)\" text-anchor=\"middle\">\(taskCount)</text>\n"
        }
        svg += "<line x1=\"\(margin.left)\" y1=\"\(margin.top)\" x2=\"\(margin.left)\" y2=\"\(margin.top + plotHeight)\" stroke=\"black\"/>\n"
        svg += "<line x1=\"\(margin.left)\" y1=\"\(margin.top + plotHeight)\" x2=\"\(margin.left + plotWidth)\" y2=\"\(margin.top + plotHeight)\" stroke=\"black\"/>\n"
        svg += "<text x=\"\(margin.left + plotWidth / 2)\" y=\"\(height - 15)\" text-anchor=\"middle\">tasks.max</text>\n"
        svg += "<text transform=\"translate(22 \(margin.top + plotHeight / 2)) rotate(-90)\" text-anchor=\"middle\">records/s</text>\n"
        // One line per series, with points.
        var legend: [(String, String, Bool, String)] = []
        for (index, entry) in series.enumerated() {
            let color = palette[index % palette.count]
            let points = entry.value.sorted { $0.tasks < $1.tasks }
            let path = points.map { "\(x($0.tasks)),\(y($0.recordsPerSecond))" }.joined(separator: " ")
            svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2.5\"/>\n"
            for point in points {
                svg += "<circle cx=\"\(x(point.tasks))\" cy=\"\(y(point.recordsPerSecond))\" r=\"4\" fill=\"\(color)\"><title>\(point.workers) workers, \(point.tasks) tasks: \(Int(point.recordsPerSecond)) records/s (\(escape(point.verdict.stage)))</title></circle>\n"
            }
            let first = points[0]
            let label = "\(first.workers) worker\(first.workers == 1 ? "" : "s")" + (variants > 1 ? ", \(first.recordSize) B, \(first.compression)" : "")
            legend.append((label, color, false, ""))
        }
        // Peers as dashed reference lines.
        let sizes = Array(Set(peers.map(\.recordSize))).sorted()
        for peer in peers {
            let color = peerColors[peer.name] ?? "#777777"
            let dash = (sizes.firstIndex(of: peer.recordSize) ?? 0) == 0 ? "8 4" : "2 3"
            let at = y(peer.recordsPerSecond)
            svg += "<line x1=\"\(margin.left)\" y1=\"\(at)\" x2=\"\(margin.left + plotWidth)\" y2=\"\(at)\" stroke=\"\(color)\" stroke-width=\"1.5\" stroke-dasharray=\"\(dash)\"/>\n"
            legend.append(("\(peer.name)" + (variants > 1 ? ", \(peer.recordSize) B, \(peer.compression)" : "") + ": \(short(peer.recordsPerSecond))/s", color, true, dash))
        }
        for (index, item) in legend.enumerated() {
            let top = margin.top + 10 + Double(index) * 20
            let left = width - margin.right + 20
            svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left + 24)\" y2=\"\(top)\" stroke=\"\(item.1)\" stroke-width=\"\(item.2 ? 1.5 : 2.5)\"\(item.2 ? " stroke-dasharray=\"\(item.3)\"" : "")/>\n"
            svg += "<text x=\"\(left + 30)\" y=\"\(top + 4)\">\(escape(item.0))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// Redraws the plot of a sweep's JSON file (``SweepReport/writeJSON(_:peers:command:to:)``) to `svgPath`.
    /// - Throws: ``BenchError/runFailed(_:)`` when the file cannot be read or holds no
    ///   sweep rows; ``BenchError/cannotWrite(path:reason:)``.
    public static func redraw(from jsonPath: String, to svgPath: String) throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: jsonPath)) } catch {
            throw BenchError.runFailed("cannot read '\(jsonPath)': \(error.localizedDescription)")
        }
        guard let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let runs = document["runs"] as? [[String: Any]]
        else { throw BenchError.runFailed("'\(jsonPath)' is not the JSON of a sweep (no \"runs\")") }
        let rows = runs.compactMap(SweepRow.init(json:))
        guard !rows.isEmpty else { throw BenchError.runFailed("'\(jsonPath)' has no sweep rows (runs made without --workers?)") }
        let peers = (document["peers"] as? [[String: Any]] ?? []).compactMap(PeerFigures.init(json:))
        let cores = (document["machine"] as? [String: Any])?["cpus"] as? Int ?? ProcessInfo.processInfo.activeProcessorCount
        let title = "Sluice on \(cores) cores: records/s by tasks.max and workers"
        try ReportFile.write(Data(svg(rows, peers: peers, title: title).utf8), to: svgPath)
    }

    /// Each peer keeps one color; record sizes differ by dash pattern.
    static let peerColors = [
        "librdkafka loop": "#444444", "kcat -P": "#e377c2", "kcat -C": "#bcbd22", "confluent-kafka (Python)": "#8c564b",
    ]

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        let power = pow(10, (log10(max(raw, 1e-9))).rounded(.down))
        for factor in [1.0, 2.0, 5.0, 10.0] where factor * power >= raw { return factor * power }
        return 10 * power
    }

    static func short(_ value: Double) -> String {
        if value >= 1_000_000 { return String(format: value.truncatingRemainder(dividingBy: 1_000_000) == 0 ? "%.0fM" : "%.1fM", value / 1_000_000) }
        if value >= 1_000 { return String(format: "%.0fk", value / 1_000) }
        return String(format: "%.0f", value)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
