import NIOCore

/// The start of a cleartext connection to the built-in target server: tells an HTTP/2 client
/// with prior knowledge (its connection preface, `PRI * HTTP/2.0...`, as an ALB sends to an
/// `HTTP2` target group of protocol `HTTP`) from an HTTP/1 client by the first bytes, has the
/// pipeline configured for the one it found, hands it those bytes and steps aside.
final class HTTP2PriorKnowledgeDetector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Configures the rest of the pipeline for one protocol.
    typealias Configurator = (Channel) -> EventLoopFuture<Void>

    private static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    private let http2: Configurator
    private let http1: Configurator
    private var received: ByteBuffer?
    private var configuring = false
    /// User events (a PROXY protocol header) that arrived before the protocol was known.
    private var events: [Any] = []

    init(http2: @escaping Configurator, http1: @escaping Configurator) {
        self.http2 = http2
        self.http1 = http1
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if received == nil { received = bytes } else { received?.writeBuffer(&bytes) }
        guard !configuring, let received else { return }
        let seen = received.readableBytesView.prefix(Self.preface.count)
        let isHTTP2 = seen.elementsEqual(Self.preface.prefix(seen.count))
        guard !isHTTP2 || seen.count == Self.preface.count else { return }  // a prefix of the preface: wait for more
        configuring = true
        (isHTTP2 ? http2 : http1)(context.channel).assumeIsolated().whenComplete { result in
            switch result {
            case .failure:
                context.close(promise: nil)
            case .success:
                self.events.forEach { context.fireUserInboundEventTriggered($0) }
                if let bytes = self.received { context.fireChannelRead(self.wrapInboundOut(bytes)) }
                self.received = nil
                context.fireChannelReadComplete()
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        events.append(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        received = nil
        context.fireChannelInactive()
    }
}
