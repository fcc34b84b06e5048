import CNetlink
import Kernel
import NIOCore
import NIOPosix
import Synchronization

/// One single-threaded NIO event loop per network namespace, whose thread entered that
/// namespace once (`setns` moves only the calling thread). NIO creates a client socket on the
/// thread that calls `connect`, so a connection started on a namespace's loop leaves from
/// inside that namespace: how NLB health checks go out of each node.
public final class NamespaceEventLoops: Sendable {
    private let groups = Mutex<[String: MultiThreadedEventLoopGroup]>([:])

    public init() {}

    /// The loop of `namespace`, created (and its thread moved into the namespace) on first use.
    public func loop(for namespace: String) throws -> any EventLoop {
        try groups.withLock { groups in
            if let group = groups[namespace] { return group.next() }
            let fd = try NetworkNamespace.open(namespace)
            defer { close(fd) }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let loop = group.next()
            do {
                try loop.submit {
                    let entered = lbnet_setns_net(fd)
                    guard entered == 0 else { throw SystemError("entering namespace \(namespace)", errno: -entered) }
                }.wait()
            } catch {
                try? group.syncShutdownGracefully()
                throw error
            }
            groups[namespace] = group
            return loop
        }
    }

    /// Shuts down the loops of namespaces not in `namespaces` (their nodes are gone).
    public func keep(only namespaces: Set<String>) async {
        let gone = groups.withLock { groups in
            let stale = groups.filter { !namespaces.contains($0.key) }
            stale.keys.forEach { groups[$0] = nil }
            return Array(stale.values)
        }
        for group in gone { try? await group.shutdownGracefully() }
    }

    public func shutdown() async { await keep(only: []) }
}
