import NIOPosix
import Synchronization

/// The daemon's one thread for kernel work: netlink exchanges, namespace switches and the state
/// directory's lock block, so they run here, one job at a time, never on the cooperative pool
/// or an event loop. It keeps a netlink session for the runtime's small updates.
public final class KernelWorker: Sendable {
    private let pool = NIOThreadPool(numberOfThreads: 1)
    /// Used only by jobs, which run one at a time on the pool's thread; the mutex makes that
    /// visible to the compiler and is never contended.
    private let session = Mutex(KernelSession())

    public init() { pool.start() }

    /// Runs `body` on the kernel thread with the runtime's netlink session.
    public func run<T: Sendable>(_ body: @escaping @Sendable (KernelSession) throws -> T) async throws -> T {
        try await pool.runIfActive { try self.session.withLock { try body($0) } }
    }

    /// Drops the session's sockets (after a reconcile: namespaces may have gone, and an open
    /// socket would keep a deleted namespace alive).
    public func resetSession() async throws {
        try await pool.runIfActive { self.session.withLock { $0 = KernelSession() } }
    }

    public func shutdown() async throws { try await pool.shutdownGracefully() }
}
