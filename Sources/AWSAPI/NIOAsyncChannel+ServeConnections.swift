import NIOCore
import ServiceLifecycle

/// Used by every server of the daemon: the AWS API, the control and status sockets, metrics.
extension NIOAsyncChannel where Outbound == Never, Inbound: Sendable {
    /// Accepts connections on this server channel until graceful shutdown (which closes it),
    /// serving each connection in a task of its own; returns once every connection is served.
    public func serveConnectionsUntilShutdown(_ serve: @escaping @Sendable (Inbound) async -> Void) async throws {
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { tasks in
                try await executeThenClose { connections in
                    for try await connection in connections {
                        tasks.addTask { await serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            self.channel.close(promise: nil)
        }
    }
}
