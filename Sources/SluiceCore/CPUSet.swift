import CSluiceSystem
#if canImport(Glibc)
import Glibc
#endif

/// A set of CPU numbers, written the way `taskset -c` and cgroups write them: `0-3,6`.
public struct CPUSet: Equatable, Sendable, CustomStringConvertible {
    /// The CPUs, ascending, without duplicates.
    public let cpus: [Int]

    /// Creates a set from explicit CPU numbers.
    public init(_ cpus: [Int]) {
        self.cpus = Array(Set(cpus)).sorted()
    }

    /// Parses a list such as `0-3,6`.
    /// - Throws: ``CoreError/invalidCPUList(_:reason:)`` naming the bad part.
    public init(parsing text: String) throws {
        var result: [Int] = []
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { throw CoreError.invalidCPUList(text, reason: "it is empty") }
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let piece = String(part).trimmingSpaces
            let bounds = piece.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 1 || bounds.count == 2,
                let low = Int(bounds[0]), low >= 0,
                let high = bounds.count == 2 ? Int(bounds[1]) : low
            else {
                throw CoreError.invalidCPUList(text, reason: "'\(piece)' is not a CPU number or a range like 0-3")
            }
            guard high >= low else {
                throw CoreError.invalidCPUList(text, reason: "the range '\(piece)' runs backwards")
            }
            guard high < 4096 else {
                throw CoreError.invalidCPUList(text, reason: "CPU \(high) is beyond the 4096 this system can address")
            }
            result.append(contentsOf: low...high)
        }
        self.init(result)
    }

    /// The CPUs this process may run on (`sched_getaffinity`).
    public static func available() -> CPUSet {
        if let cpus = affinity(ofThread: false) { return CPUSet(cpus) }
        return CPUSet(Array(0..<max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))))
    }

    /// The CPU for the `n`th thread when threads are spread round-robin over the set.
    public func cpu(forThread n: Int) -> Int {
        cpus[n % cpus.count]
    }

    /// Checks that every CPU is one this process may use.
    /// - Throws: ``CoreError/cpuNotAvailable(_:available:)`` for the first one that is not.
    public func validateAvailable() throws {
        let allowed = CPUSet.available()
        for cpu in cpus where !allowed.cpus.contains(cpu) {
            throw CoreError.cpuNotAvailable(cpu, available: allowed)
        }
    }

    /// Restricts the calling thread to these CPUs; threads it creates afterwards
    /// inherit the restriction. Called first thing in a worker process, it confines
    /// the whole process, librdkafka's threads included.
    /// - Throws: ``CoreError`` when the kernel refuses.
    public func restrictCallingThread() throws {
        let numbers = cpus.map { Int32($0) }
        let status = numbers.withUnsafeBufferPointer { sluice_restrict_calling_thread($0.baseAddress, Int32($0.count)) }
        if status != 0 {
            throw CoreError.threadStartFailed(name: "restrict to CPUs \(self)", errno: status)
        }
    }

    public var description: String {
        var parts: [String] = []
        var index = 0
        while index < cpus.count {
            var end = index
            while end + 1 < cpus.count && cpus[end + 1] == cpus[end] + 1 { end += 1 }
            parts.append(end == index ? "\(cpus[index])" : "\(cpus[index])-\(cpus[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }

    /// The calling thread's (or the process's) allowed CPUs, or `nil` if unknown.
    static func affinity(ofThread: Bool) -> [Int]? {
        var cpus = [Int32](repeating: 0, count: 4096)
        let n = sluice_affinity(ofThread ? 1 : 0, &cpus, Int32(cpus.count))
        guard n > 0 else { return nil }
        return cpus.prefix(Int(n)).map(Int.init)
    }
}

extension String {
    var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}
