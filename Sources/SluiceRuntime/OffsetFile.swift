import Foundation
import Synchronization

/// Source offsets of a standalone worker in one file, as `offset.storage.file.filename`.
///
/// Offsets are recorded in memory as batches are acknowledged and written by
/// ``flush()`` atomically: a temporary file is written and fsynced, then renamed over
/// the old one, so a crash leaves either the old or the new offsets, never a torn file.
/// The format is JSON: `{"connector": {"source partition": offset}}`, where an offset
/// is a number (`{"offset": N}` offsets) or an object of named integers.
///
/// Thread-safety: every method may be called from any thread (a mutex guards the map).
public final class OffsetFile: OffsetStore {
    /// The file.
    public let path: String
    private let state: Mutex<(offsets: [String: [String: SourceOffset]], dirty: Bool, version: Int)>

    /// Loads `path` (a missing file is empty) and checks that its folder is writable.
    /// - Throws: ``RuntimeError/offsetStorage(path:reason:)``.
    public init(path: String) throws {
        self.path = path
        var offsets: [String: [String: SourceOffset]] = [:]
        if FileManager.default.fileExists(atPath: path) {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                if !data.isEmpty {
                    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else {
                        throw RuntimeError.offsetStorage(path: path, reason: "not an offsets file")
                    }
                    for (connector, partitions) in object {
                        offsets[connector] = partitions.compactMapValues { SourceOffset(json: $0) }
                    }
                }
            } catch let error as RuntimeError {
                throw error
            } catch {
                throw RuntimeError.offsetStorage(path: path, reason: "cannot read it: \(error.localizedDescription)")
            }
        }
        state = Mutex((offsets, false, 0))
        // Fail now, not at the first flush, when the offsets could not be saved.
        try write(offsets)
    }

    /// The committed offsets of `connector`.
    public func offsets(of connector: String) -> [String: SourceOffset] {
        state.withLock { $0.offsets[connector] ?? [:] }
    }

    /// Records that `connector`'s `partition` is committed up to `offset`.
    public func record(connector: String, partition: String, offset: SourceOffset) {
        state.withLock {
            $0.offsets[connector, default: [:]][partition] = offset
            $0.dirty = true
            $0.version += 1
        }
    }

    /// Forgets `connector`'s offsets (`DELETE .../offsets`).
    public func reset(connector: String) throws {
        state.withLock {
            $0.offsets[connector] = nil
            $0.dirty = true
            $0.version += 1
        }
    }

    /// Sets the offsets of `connector`'s partitions named in `offsets` and writes the file.
    public func set(connector: String, offsets: [String: SourceOffset]) throws {
        state.withLock {
            for (partition, offset) in offsets { $0.offsets[connector, default: [:]][partition] = offset }
            $0.dirty = true
            $0.version += 1
        }
        try flush()
    }

    /// Writes the offsets if they changed since the last write.
    /// - Throws: ``RuntimeError/offsetStorage(path:reason:)``; the offsets then stay
    ///   recorded for the next flush (nothing is marked written that was not).
    public func flush() throws {
        let (offsets, version) = state.withLock { state -> ([String: [String: SourceOffset]], Int?) in
            (state.offsets, state.dirty ? state.version : nil)
        }
        guard let version else { return }
        try write(offsets)
        // Offsets recorded while the file was written keep it dirty.
        state.withLock { if $0.version == version { $0.dirty = false } }
    }

    private func write(_ offsets: [String: [String: SourceOffset]]) throws {
        let temporary = path + ".tmp"
        do {
            let data = try JSONSerialization.data(withJSONObject: offsets.mapValues { $0.mapValues(\.storedForm) }, options: [.sortedKeys])
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw RuntimeError.offsetStorage(path: path, reason: "cannot write '\(temporary)': \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            let written = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard written == data.count, fsync(fd) == 0 else {
                throw RuntimeError.offsetStorage(path: path, reason: "cannot write '\(temporary)': \(String(cString: strerror(errno)))")
            }
            guard rename(temporary, path) == 0 else {
                throw RuntimeError.offsetStorage(path: path, reason: "cannot replace it: \(String(cString: strerror(errno)))")
            }
        } catch let error as RuntimeError {
            throw error
        } catch {
            throw RuntimeError.offsetStorage(path: path, reason: error.localizedDescription)
        }
    }
}
