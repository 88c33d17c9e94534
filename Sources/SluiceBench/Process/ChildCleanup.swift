import Dispatch
import Foundation
import Synchronization

/// Processes and folders `sluice bench` must not leave behind, even on Ctrl-C.
///
/// Each started child and temporary folder is registered here; on SIGINT or
/// SIGTERM the handler kills the children, removes the folders and exits 130.
/// Normal teardown unregisters them as it cleans up itself.
package enum ChildCleanup {
    private static let state = Mutex<(pids: Set<Int32>, folders: Set<String>, installed: Bool)>(([], [], false))
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// Installs the signal handlers (once).
    package static func install() {
        let first = state.withLock { state -> Bool in
            defer { state.installed = true }
            return !state.installed
        }
        guard first else { return }
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                FileHandleOutput.standardError.write("\nsluice bench: interrupted; stopping workers and removing temporary files\n")
                cleanUp()
                exit(130)
            }
            source.resume()
            sources.append(source)
        }
    }

    static func register(pid: Int32) { _ = state.withLock { $0.pids.insert(pid) } }
    static func unregister(pid: Int32) { _ = state.withLock { $0.pids.remove(pid) } }
    static func register(folder: String) { _ = state.withLock { $0.folders.insert(folder) } }
    static func unregister(folder: String) { _ = state.withLock { $0.folders.remove(folder) } }

    /// Kills every registered child and removes every registered folder.
    static func cleanUp() {
        let (pids, folders) = state.withLock { state -> (Set<Int32>, Set<String>) in
            defer { state.pids.removeAll(); state.folders.removeAll() }
            return (state.pids, state.folders)
        }
        for pid in pids { kill(pid, SIGKILL) }
        for pid in pids { var status: Int32 = 0; waitpid(pid, &status, 0) }
        for folder in folders { try? FileManager.default.removeItem(atPath: folder) }
    }
}
