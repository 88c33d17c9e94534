import Synchronization

/// Per-second rates of counters that any number of scrapers can ask for without
/// disturbing each other: a rate is measured from a kept reading about ``window`` old,
/// never from "the previous scrape", so a second Prometheus (or a person with `curl`)
/// does not shorten the interval the first one sees. Nothing is reset on read.
///
/// Each scrape offers the counters' current values; one reading per ``spacing`` is
/// kept, and readings older than needed are dropped, so memory stays bounded (about
/// `window / spacing` readings per key). The baseline is the newest kept reading at
/// least ``window`` old, or the oldest kept one while there is none that old: a rate
/// covers about ``window`` when scrapes are frequent, and the time since the previous
/// kept reading when they are further apart than that.
///
/// Thread-safety: the readings are behind a mutex; scrapes may run concurrently.
package final class ScrapeRateWindow<Key: Hashable & Sendable>: Sendable {
    /// Counter values read at one time.
    package struct Reading: Sendable, Equatable {
        /// Monotonic nanoseconds.
        package var time: UInt64
        /// The counters, in the caller's order.
        package var values: [Double]

        package init(time: UInt64, values: [Double]) {
            self.time = time
            self.values = values
        }

        /// Per-second rate of counter `index` from `baseline` to this reading (0 without one).
        package func rate(_ index: Int, since baseline: Reading?) -> Double {
            guard let baseline, time > baseline.time else { return 0 }
            return (values[index] - baseline.values[index]) / (Double(time - baseline.time) / 1e9)
        }
    }

    /// How far back a rate looks, in nanoseconds.
    package let window: UInt64
    /// The shortest time between two kept readings of a key, in nanoseconds.
    package let spacing: UInt64
    private let history = Mutex<[Key: [Reading]]>([:])

    /// - Parameters:
    ///   - windowSeconds: how far back rates look (Kafka's own rates cover 30 to 60 s).
    ///   - spacingSeconds: the shortest time between two kept readings.
    package init(windowSeconds: Double = 30, spacingSeconds: Double = 1) {
        window = UInt64(windowSeconds * 1e9)
        spacing = UInt64(spacingSeconds * 1e9)
    }

    /// Offers `reading` for `key` and returns the baseline to measure rates from (nil
    /// at a key's first reading).
    package func baseline(for key: Key, _ reading: Reading) -> Reading? {
        history.withLock { history in
            var kept = history[key] ?? []
            // Drop the oldest while the next one is old enough to be the baseline. (A
            // concurrent scrape may have stored a reading taken a moment after this one.)
            while kept.count >= 2, reading.time >= kept[1].time, reading.time - kept[1].time >= window {
                kept.removeFirst()
            }
            let baseline = kept.first
            if kept.last.map({ reading.time >= $0.time && reading.time - $0.time >= spacing }) ?? true {
                kept.append(reading)
            }
            history[key] = kept
            return baseline
        }
    }

    /// Forgets every key not in `keys` (tasks that ended).
    package func keepOnly(_ keys: Set<Key>) {
        history.withLock { history in
            for key in history.keys where !keys.contains(key) { history.removeValue(forKey: key) }
        }
    }
}
