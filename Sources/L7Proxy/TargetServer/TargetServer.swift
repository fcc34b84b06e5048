import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL

/// lbnet's built-in HTTP target: answers every request with a JSON ``TargetEcho`` that says which
/// instance and zone served it and what arrived, and `GET /health` with `ok`. Over HTTPS when
/// given a TLS context (the target of an `HTTPS` target group). HTTP/1.1, and HTTP/2 (by ALPN
/// over TLS, with prior knowledge in cleartext) for `HTTP2` target groups. A connection may start with a
/// PROXY protocol version 2 header (before the TLS handshake, as an NLB sends it); what it
/// carried is part of every answer.
public struct TargetServer: Sendable {
    /// Who the server says it is and where it listens.
    public struct Configuration: Sendable, Equatable {
        /// The instance name reported in every answer.
        public var instanceName: String
        /// The availability zone reported in every answer.
        public var availabilityZone: String
        /// The address to listen on.
        public var host: String
        /// The TCP port to listen on; 0 picks a free one.
        public var port: Int

        public init(instanceName: String, availabilityZone: String, host: String = "0.0.0.0", port: Int = 8080) {
            self.instanceName = instanceName
            self.availabilityZone = availabilityZone
            self.host = host
            self.port = port
        }
    }

    public let configuration: Configuration
    private let eventLoopGroup: any EventLoopGroup
    private let tls: NIOSSLContext?

    public init(configuration: Configuration, tls: NIOSSLContext? = nil,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.tls = tls
        self.eventLoopGroup = eventLoopGroup
    }

    /// A server-side TLS context from PEM files: the certificate chain and its private key.
    public static func tlsContext(certificateChainFile: String, privateKeyFile: String) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificateChainFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: privateKeyFile, format: .pem)))
        configuration.applicationProtocols = ["h2", "http/1.1"]
        return try NIOSSLContext(configuration: configuration)
    }

    /// Listens on the configured address and serves until the task is cancelled.
    public func run() async throws {
        try await bind().run()
    }

    /// Listens on the configured address; the returned server is already accepting connections.
    public func bind() async throws -> ListeningServer {
        try await ListeningServer.bind(bootstrap(), host: configuration.host, port: configuration.port)
    }

    /// Serves on a socket that is already bound and listening, such as one opened inside a
    /// network namespace; the configured host and port are ignored.
    public func adopt(listeningSocket socket: NIOBSDSocket.Handle) async throws -> ListeningServer {
        try await ListeningServer.adopt(bootstrap(), socket: socket)
    }

    private func bootstrap() -> ServerBootstrap {
        let configuration = self.configuration
        let tls = self.tls
        return ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                let header = NIOLoopBoundBox<ProxyProtocolHeader?>(nil, eventLoop: channel.eventLoop)
                let http1: @Sendable (Channel) -> EventLoopFuture<Void> = { Self.configureHTTP1($0, configuration, header) }
                let http2: @Sendable (Channel) -> EventLoopFuture<Void> = { Self.configureHTTP2($0, configuration, header) }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ProxyProtocolReceiver(received: header))
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    } else {
                        try channel.pipeline.syncOperations.addHandler(HTTP2PriorKnowledgeDetector(http2: http2, http1: http1))
                    }
                }.flatMap {
                    // Over TLS, ALPN decides: `h2`, or HTTP/1.1 when the client asked for it or for nothing.
                    guard tls != nil else { return channel.eventLoop.makeSucceededVoidFuture() }
                    return channel.configureHTTP2SecureUpgrade(h2ChannelConfigurator: http2, http1ChannelConfigurator: http1)
                }
            }
    }

    private static func configureHTTP1(
        _ channel: Channel, _ configuration: Configuration, _ header: NIOLoopBoundBox<ProxyProtocolHeader?>
    ) -> EventLoopFuture<Void> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
            try channel.pipeline.syncOperations.addHandler(TargetServerHandler(configuration: configuration, proxyProtocol: header))
        }
    }

    /// Each HTTP/2 stream is one request, answered by the same handler as an HTTP/1 connection's.
    private static func configureHTTP2(
        _ channel: Channel, _ configuration: Configuration, _ header: NIOLoopBoundBox<ProxyProtocolHeader?>
    ) -> EventLoopFuture<Void> {
        channel.configureHTTP2Pipeline(mode: .server) { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandlers(HTTP2FramePayloadToHTTP1ServerCodec(),
                                                                TargetServerHandler(configuration: configuration, proxyProtocol: header))
            }
        }.map { _ in }
    }
}
