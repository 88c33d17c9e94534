import SluiceHTTP
import Testing

/// Rates over a window of kept readings, the same whoever scrapes and how often.
@Suite("ScrapeRateWindow")
struct ScrapeRateWindowTests {
    typealias Reading = ScrapeRateWindow<String>.Reading
    static let second: UInt64 = 1_000_000_000

    /// The rate a scrape at `seconds` sees when the counter reads `value`.
    static func rate(_ window: ScrapeRateWindow<String>, at seconds: Double, _ value: Double) -> Double {
        let reading = Reading(time: UInt64(seconds * 1e9), values: [value])
        return reading.rate(0, since: window.baseline(for: "t", reading))
    }

    @Test("a second scraper does not shorten the interval the first one sees")
    func twoScrapers() {
        // The counter grows by 100 a second until 10 s, then stops.
        func counter(_ t: Double) -> Double { min(t, 10) * 100 }
        let alone = ScrapeRateWindow<String>(windowSeconds: 30, spacingSeconds: 1)
        let shared = ScrapeRateWindow<String>(windowSeconds: 30, spacingSeconds: 1)
        for t in stride(from: 0.0, through: 10.0, by: 5.0) {
            _ = Self.rate(alone, at: t, counter(t))
            _ = Self.rate(shared, at: t, counter(t))
        }
        // Scraper B asks just before A's next scrape: with reset-on-read A would see 0/s.
        #expect(abs(Self.rate(shared, at: 10.9, counter(10.9)) - 1000 / 10.9) < 1e-6)
        let a = Self.rate(shared, at: 11, counter(11))
        #expect(a == Self.rate(alone, at: 11, counter(11)))
        #expect(abs(a - 1000 / 11) < 1e-6)
    }

    @Test("rates cover the window once readings are that old, and the gap between sparse scrapes")
    func window() {
        let window = ScrapeRateWindow<String>(windowSeconds: 30, spacingSeconds: 1)
        #expect(Self.rate(window, at: 0, 0) == 0, "no baseline at the first reading")
        for t in 1...60 { _ = Self.rate(window, at: Double(t), Double(t) * 10) }
        // At 61 s the baseline is the newest reading at least 30 s old (31 s).
        #expect(Self.rate(window, at: 61, 610 + 300) == 600.0 / 30)
        let sparse = ScrapeRateWindow<String>(windowSeconds: 30, spacingSeconds: 1)
        _ = Self.rate(sparse, at: 0, 0)
        #expect(Self.rate(sparse, at: 120, 1200) == 10, "a scraper every two minutes gets the rate over its gap")
    }

    @Test("readings are spaced and bounded; ended keys are forgotten")
    func bounded() {
        let window = ScrapeRateWindow<String>(windowSeconds: 5, spacingSeconds: 1)
        for t in 0..<1000 { _ = Self.rate(window, at: Double(t) / 10, Double(t)) }
        // A baseline 5 s back at most: the rate is the counter's slope, 10 per second.
        #expect(abs(Self.rate(window, at: 100, 1000) - 10) < 0.001)
        window.keepOnly([])
        #expect(Self.rate(window, at: 101, 1010) == 0, "a forgotten key starts again")
    }
}
