// Measures SPSCRing against a mutex-protected queue in one process, so that their
// ratio comes from one run on one machine state (package-benchmark reports each
// benchmark on its own, measured one after another).
//
//   ./ring-ratio.sh [--items N] [--rounds R] [--chunk C] [--check]
//   (or: swift run -c release RingVersusMutex ...)
//
// Each round moves `items` Ints between two pinned threads through every route, in
// an order that rotates from round to round; the summary gives the median items/s
// of each route and the median of the per-round ratios ring / other route. With
// `--check` the exit status is 1 when a target is missed: the ring at least
// 50 M items/s, and at least 3 times the faster per-item lock baseline.
import TransferWorkloads

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Options {
    var items = 10_000_000
    var rounds = 5
    var chunk = 256
    var check = false

    init(arguments: [String]) {
        var rest = arguments.dropFirst()
        while let argument = rest.popFirst() {
            switch argument {
            case "--items": items = Options.positive(rest.popFirst(), for: argument)
            case "--rounds": rounds = Options.positive(rest.popFirst(), for: argument)
            case "--chunk": chunk = Options.positive(rest.popFirst(), for: argument)
            case "--check": check = true
            default: Options.usage("unknown argument '\(argument)'")
            }
        }
    }

    static func positive(_ text: String?, for option: String) -> Int {
        guard let text, let value = Int(text.filter { $0 != "_" }), value > 0 else {
            usage("\(option) needs a positive integer")
        }
        return value
    }

    static func usage(_ problem: String) -> Never {
        print("RingVersusMutex: \(problem)")
        print("usage: RingVersusMutex [--items N] [--rounds R] [--chunk C] [--check]")
        exit(64)
    }
}

/// `1234567.8` as `"1.23 M"`, `"12.3 M"` or `"123 M"` (three significant digits).
func millions(_ value: Double) -> String {
    let m = value / 1e6
    let places = m >= 100 ? 0 : m >= 10 ? 1 : 2
    return fixed(m, places: places) + " M"
}

/// A non-negative `value` rounded to `places` decimals, without Foundation's formatting.
func fixed(_ value: Double, places: Int) -> String {
    var scale = 1
    for _ in 0..<places { scale *= 10 }
    let scaled = Int((value * Double(scale)).rounded())
    guard places > 0 else { return String(scaled) }
    let fraction = String(scaled % scale)
    return "\(scaled / scale)." + String(repeating: "0", count: places - fraction.count) + fraction
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

let options = Options(arguments: CommandLine.arguments)
let ring = TransferRoute.spscRingBatched(chunk: options.chunk)
let baselines: [TransferRoute] = [.lockedPerItem(.mutex), .lockedPerItem(.pthreadMutex)]
// Context, not targets: the ring one item at a time, and the locks taken once per
// chunk; together they show how much of the ring's lead is batching and how much
// is having no lock.
let context: [TransferRoute] = [
    .spscRingPerItem, .lockedBatched(.mutex, chunk: options.chunk), .lockedBatched(.pthreadMutex, chunk: options.chunk),
]
let routes = [ring] + baselines + context

let probe = TwoThreadTransfer(route: ring, items: options.items)
let pinning = probe.producerCPU.map { "producer on CPU \($0), consumer on CPU \(probe.consumerCPU!)" } ?? "threads not pinned (one CPU)"
print("RingVersusMutex: \(options.items) Int items per run, \(options.rounds) rounds, queue capacity \(probe.capacity), \(pinning), busy-spin waits")

do {
    // Warm-up: one short run per route (page faults, CPU frequency), not recorded.
    for route in routes { _ = try TwoThreadTransfer(route: route, items: min(options.items, 1_000_000)).run() }

    var rates: [TransferRoute: [Double]] = [:]
    var ratios: [TransferRoute: [Double]] = [:]
    for round in 0..<options.rounds {
        // Rotate the order so that no route always runs first or last.
        let offset = round % routes.count
        let order = Array(routes[offset...] + routes[..<offset])
        var thisRound: [TransferRoute: Double] = [:]
        for route in order {
            let result = try TwoThreadTransfer(route: route, items: options.items).run()
            thisRound[route] = result.itemsPerSecond
            rates[route, default: []].append(result.itemsPerSecond)
        }
        var line = "round \(round + 1):"
        for route in routes { line += "  \(route): \(millions(thisRound[route]!))/s" }
        print(line)
        for other in routes where other != ring {
            ratios[other, default: []].append(thisRound[ring]! / thisRound[other]!)
        }
    }

    print("")
    print("median items/s over \(options.rounds) rounds")
    for route in routes {
        let label = context.contains(route) ? "  (context, not a target)" : ""
        print("  \(route.description.padding(to: 46)) \(millions(median(rates[route]!)).leftPadded(to: 9)) items/s\(label)")
    }
    print("ratio \(ring) / other (median of per-round ratios)")
    for other in routes where other != ring {
        let label = context.contains(other) ? "  (context)" : "  (baseline)"
        print("  ring / \(other.description.padding(to: 39)) \(fixed(median(ratios[other]!), places: 2).leftPadded(to: 9))x\(label)")
    }

    let ringRate = median(rates[ring]!)
    let fasterBaseline = baselines.max { median(rates[$0]!) < median(rates[$1]!) }!
    let headlineRatio = median(ratios[fasterBaseline]!)
    let rateMet = ringRate >= 50e6
    let ratioMet = headlineRatio >= 3
    print("")
    print("target ring >= 50 M items/s: \(millions(ringRate)) items/s, \(rateMet ? "met" : "NOT MET")")
    print("target ring >= 3x mutex queue (the faster per-item lock, \(fasterBaseline)): \(fixed(headlineRatio, places: 2))x, \(ratioMet ? "met" : "NOT MET")")
    if options.check && !(rateMet && ratioMet) { exit(1) }
} catch {
    print("RingVersusMutex: \(error)")
    exit(2)
}

extension String {
    /// The string followed by spaces up to `width` characters.
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// The string preceded by spaces up to `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
