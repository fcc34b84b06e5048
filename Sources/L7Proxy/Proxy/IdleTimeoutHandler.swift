import NIOCore

/// Tells the handlers after it (with NIO's `IdleStateHandler.IdleStateEvent.all`) when nothing
/// was read or written on the connection for `timeout`: the load balancer's idle timeout.
///
/// NIO's `IdleStateHandler` does the same by watching every write's promise, which costs a
/// promise, a future and a callback per write on the proxy's hot path; this one notes the time
/// once per read batch and once per flush, and keeps one scheduled check per connection that
/// moves only when it comes due.
final class IdleTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias InboundOut = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private let timeout: TimeAmount
    private var lastActivity = NIODeadline.now()
    private var check: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        lastActivity = .now()
        context.fireChannelReadComplete()
    }

    func flush(context: ChannelHandlerContext) {
        lastActivity = .now()
        context.flush()
    }

    private func start(context: ChannelHandlerContext) {
        guard check == nil else { return }
        lastActivity = .now()
        schedule(at: lastActivity + timeout, context: context)
    }

    private func stop() {
        check?.cancel()
        check = nil
    }

    /// Checks at `deadline`: when nothing happened for `timeout`, tells the next handlers, and
    /// again after each further `timeout` of silence (a handler may let the connection live on);
    /// otherwise checks again `timeout` after the last activity.
    private func schedule(at deadline: NIODeadline, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        check = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            guard handler.check != nil, context.channel.isActive else { return }
            let now = NIODeadline.now()
            let due = handler.lastActivity + handler.timeout
            if due > now {
                handler.schedule(at: due, context: context)
            } else {
                handler.schedule(at: now + handler.timeout, context: context)
                context.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
            }
        }
    }
}
