import NIOCore

/// Tells the handlers after it (with NIO's `IdleStateHandler.IdleStateEvent.all`) each time
/// nothing was read or flushed on the connection for `timeout`: the load balancer's idle timeout
/// on connections whose last handler does not keep a ``ConnectionTimer`` itself (upstream
/// connections, HTTP/2 client connections, relayed ones). Unlike NIO's `IdleStateHandler`, it
/// costs no promise per write.
final class IdleTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias InboundOut = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private let timer: ConnectionTimer

    init(timeout: TimeAmount) {
        timer = ConnectionTimer(idleTimeout: timeout)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // The closure holds the context until `handlerRemoved` cancels the timer.
        timer.start(on: context.eventLoop, onIdle: { context.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all) })
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer.cancel()
    }

    func channelActive(context: ChannelHandlerContext) {
        timer.noteActivity()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer.cancel()
        context.fireChannelInactive()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        timer.noteActivity()
        context.fireChannelReadComplete()
    }

    func flush(context: ChannelHandlerContext) {
        timer.noteActivity()
        context.flush()
    }
}
