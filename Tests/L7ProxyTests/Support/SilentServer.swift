import NIOCore
import NIOPosix
import Synchronization

/// A server on 127.0.0.1 that accepts connections and never answers by itself; a test can
/// take an accepted connection and write a response by hand.
struct SilentServer: Sendable {
    let channel: Channel
    private let accepted: AcceptedConnections
    var port: Int { channel.localAddress?.port ?? 0 }

    static func start() async throws -> SilentServer {
        let accepted = AcceptedConnections()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                accepted.add(child)
                return child.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return SilentServer(channel: channel, accepted: accepted)
    }

    /// The connection accepted after `earlier` others, waiting up to a second for it.
    func acceptedConnection(after earlier: Int = 0) async throws -> Channel? {
        for _ in 0..<100 {
            let all = accepted.all
            if all.count > earlier { return all[earlier] }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    func close() async {
        try? await channel.close()
        for child in accepted.all { try? await child.close() }
    }
}

/// Channels a ``SilentServer`` accepted.
private final class AcceptedConnections: Sendable {
    private let channels = Mutex<[Channel]>([])

    func add(_ channel: Channel) { channels.withLock { $0.append(channel) } }
    var all: [Channel] { channels.withLock { $0 } }
}
