import SluiceCore
import Testing

@Suite("CPUSet and PinnedThread")
struct CPUSetTests {
    @Test("parses lists and ranges the way taskset writes them")
    func parses() throws {
        #expect(try CPUSet(parsing: "0-3,6").cpus == [0, 1, 2, 3, 6])
        #expect(try CPUSet(parsing: " 2 , 0 ").cpus == [0, 2])
        #expect(try CPUSet(parsing: "1,1,1").cpus == [1])
        #expect(CPUSet([0, 1, 2, 5, 7, 8]).description == "0-2,5,7-8")
    }

    @Test("bad lists name the bad part", arguments: ["", "a", "3-1", "1,,2", "-1", "0-99999"])
    func rejects(text: String) {
        #expect(throws: CoreError.self) { try CPUSet(parsing: text) }
    }

    @Test("a pinned thread runs only on its CPU")
    func pins() throws {
        let cpu = CPUSet.available().cpus.last!
        nonisolated(unsafe) var seen: CPUSet?
        let thread = try PinnedThread(name: "pinned", cpu: cpu) { seen = PinnedThread.currentAffinity() }
        thread.join()
        #expect(seen == CPUSet([cpu]))
    }

    @Test("pinning to a CPU that does not exist fails to start")
    func badCPU() {
        #expect(throws: CoreError.self) { try PinnedThread(name: "nowhere", cpu: 4000) {} }
        #expect(throws: CoreError.self) { try CPUSet([4000]).validateAvailable() }
    }

    @Test("idle strategies parse by name")
    func idleNames() {
        #expect(IdleStrategy(name: "spin")?.kind == .busySpin)
        #expect(IdleStrategy(name: "backoff") != nil)
        #expect(IdleStrategy(name: "nap") == nil)
    }
}
