import NIOCore
import NIOHTTP1

/// The handler at the end of an upstream connection's pipeline: hands responses to the
/// connection's current receiver and holds reads while that receiver's client is slow.
final class UpstreamHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    weak var receiver: (any UpstreamResponseReceiver)?
    private(set) var lastResponseAllowsReuse = true
    private var context: ChannelHandlerContext?
    private var readsPaused = false
    private var readPending = false
    /// Whether the response being received says the connection stays open.
    private var responseKeepsAlive = false

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head = unwrapOutboundIn(data) {
            lastResponseAllowsReuse = false
        }
        context.write(data, promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        guard let receiver else {
            // Nothing was asked: a target that talks out of turn cannot be trusted with reuse.
            context.close(promise: nil)
            return
        }
        switch part {
        case .head(let head):
            responseKeepsAlive = head.isKeepAlive
        case .end:
            lastResponseAllowsReuse = responseKeepsAlive
            self.receiver = nil
        case .body:
            break
        }
        receiver.upstreamReceived(part)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        receiver?.upstreamReadComplete()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        receiver?.upstreamWritabilityChanged(isWritable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .all {
            fail(.idleTimeout, context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error is HTTPParserError || error is NIOHTTPDecoderError ? .malformedResponse : .closed, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        lastResponseAllowsReuse = false
        if let receiver {
            self.receiver = nil
            receiver.upstreamFailed(.closed)
        }
        context.fireChannelInactive()
    }

    func read(context: ChannelHandlerContext) {
        if readsPaused {
            readPending = true
        } else {
            context.read()
        }
    }

    func pauseReading() {
        readsPaused = true
    }

    func resumeReading() {
        guard readsPaused else { return }
        readsPaused = false
        if readPending, let context {
            readPending = false
            context.read()
        }
    }

    private func fail(_ failure: UpstreamFailure, context: ChannelHandlerContext) {
        lastResponseAllowsReuse = false
        if let receiver {
            self.receiver = nil
            receiver.upstreamFailed(failure)
        }
        context.close(promise: nil)
    }
}
