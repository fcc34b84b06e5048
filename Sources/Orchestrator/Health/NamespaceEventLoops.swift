import CNetlink
import Kernel
import NIOCore
import NIOPosix
import Synchronization

/// One single-threaded NIO event loop per network namespace, whose thread entered that
/// namespace once (`setns` moves only the calling thread). NIO creates a client socket on the
/// thread that calls `connect`, so a connection started on a namespace's loop leaves from
/// inside that namespace: how NLB health checks go out of each node. A namespace deleted and
/// created again under the same name (its inode changed) gets a new loop.
public final class NamespaceEventLoops: Sendable {
    private struct Entry {
        let inode: UInt64
        let group: MultiThreadedEventLoopGroup
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    /// The loop of `namespace`, created (and its thread moved into the namespace) on first use
    /// and again when the namespace was replaced.
    public func loop(for namespace: String) async throws -> any EventLoop {
        let inode = NetworkNamespace.inode(namespace)
        let (current, stale) = entries.withLock { entries -> (Entry?, Entry?) in
            guard let entry = entries[namespace] else { return (nil, nil) }
            if entry.inode == inode { return (entry, nil) }
            entries[namespace] = nil
            return (nil, entry)
        }
        if let stale { try? await stale.group.shutdownGracefully() }
        if let current { return current.group.next() }
        guard let inode else { throw SystemError("opening namespace \(namespace)", errno: ENOENT) }

        let fd = try NetworkNamespace.open(namespace)
        defer { close(fd) }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            try await group.next().submit {
                let entered = lbnet_setns_net(fd)
                guard entered == 0 else { throw SystemError("entering namespace \(namespace)", errno: -entered) }
            }.get()
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        let winner = entries.withLock { entries -> Entry in
            if let raced = entries[namespace], raced.inode == inode { return raced }
            let entry = Entry(inode: inode, group: group)
            entries[namespace] = entry
            return entry
        }
        if winner.group !== group { try? await group.shutdownGracefully() }
        return winner.group.next()
    }

    /// Shuts down the loops of namespaces not in `namespaces` (their nodes are gone).
    public func keep(only namespaces: Set<String>) async {
        let gone = entries.withLock { entries in
            let stale = entries.filter { !namespaces.contains($0.key) }
            stale.keys.forEach { entries[$0] = nil }
            return Array(stale.values)
        }
        for entry in gone { try? await entry.group.shutdownGracefully() }
    }

    public func shutdown() async { await keep(only: []) }
}
