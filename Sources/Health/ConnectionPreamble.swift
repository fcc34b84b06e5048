import NIOCore

/// First in a client pipeline (before any TLS of its own): makes `bytes` the connection's first
/// bytes (a PROXY protocol header, as an NLB sends its targets) once it is connected or when
/// the first write passes, whichever comes first, then leaves the pipeline. Whatever the
/// handlers after it write (a TLS handshake, relayed bytes, a health check's request) follows.
public final class ConnectionPreamble: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private let bytes: [UInt8]
    private var sent = false
    private var left = false

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        send(context: context)
        context.flush()
        leave(context: context)
    }

    public func channelActive(context: ChannelHandlerContext) {
        send(context: context)
        context.flush()
        context.fireChannelActive()
        leave(context: context)
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        send(context: context)
        context.write(data, promise: promise)
    }

    public func flush(context: ChannelHandlerContext) {
        context.flush()
        if sent { leave(context: context) }
    }

    private func send(context: ChannelHandlerContext) {
        guard !sent else { return }
        sent = true
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
    }

    /// Only once the event at hand has been passed on (a write waits for its flush, which NIO
    /// may hand to this handler right after it): a handler out of the pipeline passes nothing.
    private func leave(context: ChannelHandlerContext) {
        guard !left else { return }
        left = true
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
