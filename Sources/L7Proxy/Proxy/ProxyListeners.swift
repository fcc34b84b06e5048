import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
import Synchronization

/// The listening sockets of a proxy node, by listener key, kept in step with the
/// configuration: closing a listener stops new connections only.
final class ProxyListeners: Sendable {
    private let core: ProxyCore
    private let eventLoopGroup: any EventLoopGroup
    private let channels = Mutex<[String: Channel]>([:])

    init(core: ProxyCore, eventLoopGroup: any EventLoopGroup) {
        self.core = core
        self.eventLoopGroup = eventLoopGroup
    }

    /// The bound addresses, by listener key.
    var addresses: [String: SocketAddress] {
        channels.withLock { $0.compactMapValues(\.localAddress) }
    }

    /// Binds listeners of `configuration` that are not open yet and closes those it no longer has.
    func update(to configuration: ProxyConfiguration) async throws {
        let wanted = Dictionary(configuration.listeners.map { (ListenerKey.of($0), $0) }, uniquingKeysWith: { first, _ in first })
        let open = channels.withLock { $0 }
        for (key, channel) in open where wanted[key] == nil {
            channels.withLock { _ = $0.removeValue(forKey: key) }
            try? await channel.close()
        }
        for (key, listener) in wanted.sorted(by: { $0.key < $1.key }) where open[key] == nil {
            let server = try await ListeningServer.bind(bootstrap(key: key), host: listener.address, port: listener.port)
            channels.withLock { $0[key] = server.channel }
        }
    }

    func closeAll() async {
        let open = channels.withLock { channels in
            defer { channels.removeAll() }
            return Array(channels.values)
        }
        for channel in open { try? await channel.close() }
    }

    private func bootstrap(key: String) -> ServerBootstrap {
        let core = self.core
        return ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            // A connection keeps its last receive buffer while idle: start at 512 bytes (a request
            // head), not NIO's 2 KiB; busy connections grow theirs at once.
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65536))
            .childChannelInitializer { channel in
                let snapshot = core.snapshot
                let tls = snapshot.tls[key]
                if let relay = snapshot.relays[key] {
                    return Self.addRelayHandlers(to: channel, core: core, tls: tls, relay: relay,
                                                 connectTimeout: .seconds(Int64(snapshot.configuration.connectTimeoutSeconds)),
                                                 idleTimeout: .seconds(Int64(snapshot.configuration.idleTimeoutSeconds)))
                }
                // Plain HTTP: a client that shuts its write side after a request still gets the answer.
                let halfClosure = tls == nil
                    ? channel.setOption(.allowRemoteHalfClosure, value: true) : channel.eventLoop.makeSucceededVoidFuture()
                let idleTimeout = TimeAmount.seconds(Int64(snapshot.configuration.idleTimeoutSeconds))
                let started = channel.eventLoop.makeCompletedFuture {
                    let metrics = core.metrics.counters(for: channel.eventLoop)
                    try channel.pipeline.syncOperations.addHandler(ConnectionMetricsHandler(metrics: metrics, countsBytes: true))
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.context)) }
                }
                guard tls != nil else {
                    return halfClosure.flatMap { started }.flatMapThrowing {
                        try Self.addHTTP1Handlers(to: channel, core: core, key: key, lingersOnClose: true)
                    }
                }
                // ALPN: h2 clients get HTTP/2, each stream an HTTP/1-shaped exchange; others HTTP/1.1.
                return started.flatMap {
                    channel.configureHTTP2SecureUpgrade(
                        h2ChannelConfigurator: { channel in
                            channel.eventLoop.makeCompletedFuture {
                                try channel.pipeline.syncOperations.addHandlers(IdleTimeoutHandler(timeout: idleTimeout), IdleConnectionCloser())
                            }.flatMap {
                                channel.configureHTTP2Pipeline(mode: .server) { stream in
                                    stream.eventLoop.makeCompletedFuture {
                                        try stream.pipeline.syncOperations.addHandlers(
                                            HTTP2FramePayloadToHTTP1ServerCodec(), HTTP2RequestPartAdapter(),
                                            ClientConnectionHandler(core: core, listenerKey: key, pool: core.pool(for: stream.eventLoop),
                                                                    metrics: core.metrics.counters(for: stream.eventLoop),
                                                                    isHTTP2Stream: true))
                                    }
                                }.map { _ in }
                            }
                        },
                        http1ChannelConfigurator: { channel in
                            channel.eventLoop.makeCompletedFuture {
                                try Self.addHTTP1Handlers(to: channel, core: core, key: key, lingersOnClose: false)
                            }
                        })
                }
            }
    }

    /// A relaying listener's connection: TLS terminated (a `TLS` listener), then its bytes
    /// relayed (``RelayHandler``); closed (and its relay with it) once nothing went either way
    /// for `idleTimeout`. A `TCP` listener's client may half-close: its target sees the same.
    private static func addRelayHandlers(
        to channel: Channel, core: ProxyCore, tls: ListenerTLS?, relay: RelayConfiguration, connectTimeout: TimeAmount,
        idleTimeout: TimeAmount
    ) -> EventLoopFuture<Void> {
        let halfClosure = tls == nil
            ? channel.setOption(.allowRemoteHalfClosure, value: true) : channel.eventLoop.makeSucceededVoidFuture()
        return halfClosure.flatMapThrowing {
            let metrics = core.metrics.counters(for: channel.eventLoop)
            let handlers = channel.pipeline.syncOperations
            try handlers.addHandlers(ConnectionMetricsHandler(metrics: metrics, countsBytes: true),
                                     IdleTimeoutHandler(timeout: idleTimeout), IdleConnectionCloser())
            if let tls { try handlers.addHandler(NIOSSLServerHandler(context: tls.context)) }
            try handlers.addHandler(RelayHandler(relay: relay, connectTimeout: connectTimeout, waitsForHandshake: tls != nil))
        }
    }

    /// The HTTP/1.1 server handlers: lbnet's request reader and the connection's handler, which
    /// writes responses as bytes and keeps the idle timer (after TLS).
    private static func addHTTP1Handlers(
        to channel: Channel, core: ProxyCore, key: String, lingersOnClose: Bool
    ) throws {
        let decoder = ClientRequestDecoder()
        try channel.pipeline.syncOperations.addHandlers(
            decoder,
            ClientConnectionHandler(core: core, listenerKey: key, pool: core.pool(for: channel.eventLoop),
                                    metrics: core.metrics.counters(for: channel.eventLoop),
                                    requestDecoder: decoder, lingersOnClose: lingersOnClose))
    }
}
