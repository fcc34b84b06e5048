import NIOCore

/// First in a client pipeline (before any TLS of its own): writes one PROXY protocol header as
/// the connection's first bytes once it is connected, then leaves the pipeline. The handlers
/// after it (a TLS handshake, the relayed bytes) write only after it has.
final class ProxyProtocolPreamble: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let header: ProxyProtocolHeader

    init(_ header: ProxyProtocolHeader) {
        self.header = header
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            send(context: context)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        send(context: context)
        // The handlers after this one learn of the connection (a TLS handshake starts) only now.
        context.fireChannelActive()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func send(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: header.encoded())), promise: nil)
    }
}
