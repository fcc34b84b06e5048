import NIOCore

/// Closes an HTTP/2 client connection, or a TLS listener's relayed one, that carried nothing
/// either way for the load balancer's idle timeout (the ``IdleTimeoutHandler`` before it says
/// when); HTTP/1.1 connections are closed by their ``ClientConnectionHandler`` instead.
final class IdleConnectionCloser: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .all {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
