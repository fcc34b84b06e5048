import NIOCore
import NIOPosix

/// A bound listening socket whose connections are being served; `run()` waits until it closes.
///
/// Binding and serving are separate so callers can learn the address a port-0 bind got
/// before they start waiting.
public struct ListeningServer: Sendable {
    /// The address the listening socket is bound to.
    public let localAddress: SocketAddress
    let channel: Channel

    /// Binds `bootstrap` to `host`:`port` and wraps the listening channel.
    static func bind(_ bootstrap: ServerBootstrap, host: String, port: Int) async throws -> ListeningServer {
        let channel: Channel
        do {
            channel = try await bootstrap.bind(host: host, port: port).get()
        } catch {
            throw ListeningServerError.bindFailed(address: "\(host):\(port)", underlying: error)
        }
        return try ListeningServer(channel: channel)
    }

    /// Adopts a socket that is already bound and listening (for example one opened inside a
    /// network namespace) and wraps the channel.
    static func adopt(_ bootstrap: ServerBootstrap, socket: NIOBSDSocket.Handle) async throws -> ListeningServer {
        let channel: Channel
        do {
            channel = try await bootstrap.withBoundSocket(socket).get()
        } catch {
            throw ListeningServerError.bindFailed(address: "socket \(socket)", underlying: error)
        }
        return try ListeningServer(channel: channel)
    }

    init(channel: Channel) throws {
        guard let address = channel.localAddress else {
            throw ListeningServerError.unknownLocalAddress
        }
        self.localAddress = address
        self.channel = channel
    }

    /// Waits until the listening socket closes; cancelling the task closes it.
    ///
    /// Connections already accepted keep running until their peers close them.
    public func run() async throws {
        let channel = self.channel
        try await withTaskCancellationHandler {
            try await channel.closeFuture.get()
        } onCancel: {
            channel.close(promise: nil)
        }
    }

    /// Stops accepting connections.
    public func close() async {
        try? await channel.close()
    }
}

/// Why a listening socket could not be set up.
public enum ListeningServerError: Error, CustomStringConvertible {
    case bindFailed(address: String, underlying: any Error)
    case unknownLocalAddress

    public var description: String {
        switch self {
        case .bindFailed(let address, let underlying): "cannot listen on \(address): \(underlying)"
        case .unknownLocalAddress: "the listening socket has no local address after bind"
        }
    }
}
