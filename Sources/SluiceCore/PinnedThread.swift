import CSluiceSystem
#if canImport(Glibc)
import Glibc
#endif

/// A named OS thread, optionally pinned to one CPU, that runs one closure.
///
/// Task threads are pinned so that a task keeps its caches and never migrates
/// mid-batch. The affinity is set on the thread attributes before the thread
/// starts (`pthread_attr_setaffinity_np`), so an impossible CPU fails the
/// initializer instead of a running thread.
///
/// ```swift
/// let thread = try PinnedThread(name: "task-0", cpu: 1) { runTask() }
/// thread.join()
/// ```
public final class PinnedThread: @unchecked Sendable {
    /// The thread's name (at most 15 bytes are visible to `top` and `ps`).
    public let name: String
    /// The CPU it is pinned to, or `nil` when the scheduler chooses.
    public let cpu: Int?
    private var handle: pthread_t
    private var joined = false

    /// Starts a thread running `body`.
    /// - Throws: ``CoreError/threadStartFailed(name:errno:)`` when the thread cannot
    ///   be created or pinned to `cpu`.
    public init(name: String, cpu: Int? = nil, body: @escaping @Sendable () -> Void) throws {
        self.name = name
        self.cpu = cpu
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        if let cpu {
            let status = sluice_attr_set_cpu(&attributes, Int32(cpu))
            if status != 0 { throw CoreError.threadStartFailed(name: name, errno: status) }
        }
        let context = Unmanaged.passRetained(ThreadContext(name: name, body: body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, { raw in
            let context = Unmanaged<ThreadContext>.fromOpaque(raw!).takeRetainedValue()
            _ = sluice_set_thread_name(context.name)
            context.body()
            return nil
        }, context)
        if status != 0 {
            Unmanaged<ThreadContext>.fromOpaque(context).release()
            throw CoreError.threadStartFailed(name: name, errno: status)
        }
        handle = thread
    }

    /// Waits for the thread to finish. Call it once.
    public func join() {
        guard !joined else { return }
        joined = true
        pthread_join(handle, nil)
    }

    deinit {
        if !joined { pthread_detach(handle) }
    }

    /// The CPUs the calling thread may run on.
    public static func currentAffinity() -> CPUSet {
        CPUSet.affinity(ofThread: true).map(CPUSet.init) ?? CPUSet.available()
    }
}

private final class ThreadContext {
    let name: String
    let body: @Sendable () -> Void
    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}
